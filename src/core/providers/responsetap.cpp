// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "responsetap.h"

#include <charconv>
#include <optional>

#include "providers/jsonscanner.h"

namespace sy::providers {

namespace {

constexpr QByteArrayView kUsageKey = "\"usage\"";

QByteArrayView span(QByteArrayView text, const JsonMember &member)
{
    return text.sliced(member.valueStart, member.valueEnd - member.valueStart);
}

// The value of the last member `key` of the object at `objectStart`; empty if there is
// none or the object is not valid JSON.
QByteArrayView memberOf(QByteArrayView text, qsizetype objectStart, QByteArrayView key)
{
    if (objectStart >= text.size() || text[objectStart] != '{')
        return {};
    JsonMembers members;
    if (JsonScanner(text).scanObject(objectStart, &members) < 0)
        return {};
    const qsizetype index = JsonScanner::findLast(text, members, key);
    return index < 0 ? QByteArrayView() : span(text, members[index]);
}

// The nested object `key` of the object `object` (a span of `text`), as a span of `text`.
QByteArrayView childObject(QByteArrayView text, QByteArrayView object, QByteArrayView key)
{
    if (object.isEmpty() || object.front() != '{')
        return {};
    const QByteArrayView value = memberOf(text, object.data() - text.data(), key);
    return !value.isEmpty() && value.front() == '{' ? value : QByteArrayView();
}

QByteArray stringValue(QByteArrayView value)
{
    if (value.isEmpty() || value.front() != '"')
        return {};
    return JsonScanner::decodeStringUtf8(value);
}

// Cheap test run before any scan: does the text hold "usage" followed by an object?
// Most stream events do not; OpenAI chunks with include_usage hold "usage":null.
bool mentionsUsageObject(QByteArrayView text)
{
    qsizetype from = 0;
    for (;;) {
        const qsizetype at = text.indexOf(kUsageKey, from);
        if (at < 0)
            return false;
        qsizetype p = JsonScanner::skipWhitespace(text, at + kUsageKey.size());
        if (p < text.size() && text[p] == ':') {
            p = JsonScanner::skipWhitespace(text, p + 1);
            if (p < text.size() && text[p] == '{')
                return true;
        }
        from = at + kUsageKey.size();
    }
}

bool isEmptyArray(QByteArrayView value)
{
    return value.size() >= 2 && value.front() == '[' && JsonScanner::skipWhitespace(value, 1) == value.size() - 1
        && value.back() == ']';
}

// The members of one usage object, scanned once, read without building a DOM: this runs
// for every response.
class UsageFields
{
public:
    explicit UsageFields(QByteArrayView object) : m_text(object)
    {
        m_valid = !object.isEmpty() && object.front() == '{' && JsonScanner(object).scanObject(0, &m_members) >= 0;
    }

    bool isValid() const { return m_valid; }

    // A non-negative integer member, or in `parent`'s nested object.
    std::optional<qint64> count(QByteArrayView key, QByteArrayView parent = {}) const
    {
        if (!m_valid)
            return std::nullopt;
        QByteArrayView value;
        if (parent.isEmpty()) {
            value = member(m_text, m_members, key);
        } else {
            const QByteArrayView nested = member(m_text, m_members, parent);
            if (nested.isEmpty() || nested.front() != '{')
                return std::nullopt;
            JsonMembers members;
            if (JsonScanner(nested).scanObject(0, &members) < 0)
                return std::nullopt;
            value = member(nested, members, key);
        }
        qint64 n = -1;
        const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (error != std::errc() || end != value.data() + value.size() || n < 0)
            return std::nullopt; // absent, null, not an integer
        return n;
    }

private:
    static QByteArrayView member(QByteArrayView text, const JsonMembers &members, QByteArrayView key)
    {
        const qsizetype index = JsonScanner::findLast(text, members, key);
        return index < 0 ? QByteArrayView() : span(text, members[index]);
    }

    QByteArrayView m_text;
    JsonMembers m_members;
    bool m_valid = false;
};

} // namespace

ResponseTap::ResponseTap(Endpoint endpoint, bool eventStream, bool hideInjectedUsage)
    : m_endpoint(endpoint), m_eventStream(eventStream),
      m_transforms(endpoint == Endpoint::ChatCompletions && eventStream && hideInjectedUsage),
      m_parser(kMaxEventSize, m_transforms)
{ }

void ResponseTap::feed(QByteArrayView data, QByteArray &out)
{
    if (m_finished || data.isEmpty())
        return;
    if (m_eventStream) {
        m_parser.feed(data, m_events);
        handleEvents(&out);
        return;
    }
    m_bodySize += data.size();
    if (data.size() >= kTailWindow) {
        m_tail = data.last(kTailWindow).toByteArray();
    } else {
        m_tail.append(data);
        // Trim in steps of a window, not on every feed, to keep the copying linear.
        if (m_tail.size() > 2 * kTailWindow)
            m_tail.remove(0, m_tail.size() - kTailWindow);
    }
}

void ResponseTap::finish(QByteArray &out)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_eventStream) {
        m_parser.finish(m_events);
        handleEvents(&out);
        m_events = {};
        return;
    }
    readTail();
    m_tail = QByteArray();
}

void ResponseTap::handleEvents(QByteArray *out)
{
    for (const SseEvent &event : std::as_const(m_events)) {
        if (m_transforms)
            filterEvent(event, *out);
        else
            readEvent(event);
    }
    m_events.clear();
}

void ResponseTap::readEvent(const SseEvent &event)
{
    if (!event.complete || event.oversized || !event.hasData || !mentionsUsageObject(event.data))
        return;
    const QByteArrayView data = event.data;
    const qsizetype start = JsonScanner::skipWhitespace(data, 0);
    if (start >= data.size() || data[start] != '{')
        return;
    const QByteArrayView root = data.sliced(start);
    switch (m_endpoint) {
    case Endpoint::Responses: {
        const QByteArray type = stringValue(memberOf(data, start, "type"));
        if (type == "response.completed" || type == "response.incomplete" || type == "response.failed")
            applyUsage(childObject(data, childObject(data, root, "response"), "usage"), false);
        break;
    }
    case Endpoint::Messages: {
        const QByteArray type = stringValue(memberOf(data, start, "type"));
        if (type == "message_start")
            applyUsage(childObject(data, childObject(data, root, "message"), "usage"), false);
        else if (type == "message_delta")
            applyUsage(childObject(data, root, "usage"), true);
        break;
    }
    default:
        applyUsage(childObject(data, root, "usage"), false);
        break;
    }
}

void ResponseTap::filterEvent(const SseEvent &event, QByteArray &out)
{
    const auto forward = [&] {
        readEvent(event);
        out += event.raw;
    };
    if (!event.complete || event.oversized || !event.hasData || event.dataOffset < 0 || event.data == "[DONE]")
        return forward();
    const QByteArrayView data = event.data;
    const qsizetype start = JsonScanner::skipWhitespace(data, 0);
    if (start >= data.size() || data[start] != '{')
        return forward();
    JsonMembers members;
    const qsizetype end = JsonScanner(data).scanObject(start, &members);
    if (end < 0 || JsonScanner::skipWhitespace(data, end) != data.size())
        return forward();
    const qsizetype usage = JsonScanner::findLast(data, members, "usage");
    if (usage < 0)
        return forward();
    const QByteArrayView value = span(data, members[usage]);
    if (value.front() == '{') {
        applyUsage(value, false);
        const qsizetype choices = JsonScanner::findLast(data, members, "choices");
        if (choices >= 0 && isEmptyArray(span(data, members[choices])))
            return; // the chunk include_usage added: the client never asked for it
        out += event.raw;
        return;
    }
    if (value != "null") {
        out += event.raw;
        return;
    }
    // Cut `,"usage":null` (or `"usage":null,` when it comes first) and nothing else.
    qsizetype from;
    qsizetype to;
    if (usage > 0) {
        from = members[usage - 1].valueEnd;
        to = members[usage].valueEnd;
    } else if (members.size() > 1) {
        from = members[0].keyStart;
        to = members[1].keyStart;
    } else {
        from = members[0].keyStart;
        to = members[0].valueEnd;
    }
    const QByteArrayView raw = event.raw;
    out += raw.first(event.dataOffset + from);
    out += raw.sliced(event.dataOffset + to);
}

void ResponseTap::readTail()
{
    const QByteArrayView tail = m_tail;
    if (m_bodySize == tail.size()) {
        // The whole body is here: read its top level exactly.
        const qsizetype start = JsonScanner::skipWhitespace(tail, 0);
        JsonMembers members;
        if (start < tail.size() && tail[start] == '{' && JsonScanner(tail).scanObject(start, &members) >= 0) {
            if (m_endpoint == Endpoint::CountTokens) {
                const qsizetype index = JsonScanner::findLast(tail, members, "input_tokens");
                if (index >= 0) {
                    bool ok = false;
                    const qint64 n
                        = QByteArray::fromRawData(span(tail, members[index]).data(), span(tail, members[index]).size())
                              .toLongLong(&ok);
                    if (ok && n >= 0) {
                        m_usage.input = n;
                        m_usage.output = 0;
                    }
                }
                return;
            }
            const qsizetype index = JsonScanner::findLast(tail, members, "usage");
            if (index >= 0 && tail[members[index].valueStart] == '{')
                applyUsage(span(tail, members[index]), false);
            return;
        }
    }
    if (m_endpoint == Endpoint::CountTokens)
        return;
    // Only the end of a large (or broken) body is here. The usage object is near the end
    // of every provider's response; take the last "usage" key whose value is an object.
    // Unescaped "usage" bytes cannot sit inside a JSON string unless their first quote is
    // escaped, which the backslash count below rules out.
    qsizetype from = tail.size();
    for (;;) {
        const qsizetype at = tail.lastIndexOf(kUsageKey, from);
        if (at < 0)
            return;
        qsizetype backslashes = 0;
        for (qsizetype k = at - 1; k >= 0 && tail[k] == '\\'; --k)
            ++backslashes;
        if (backslashes % 2 == 0) {
            qsizetype p = JsonScanner::skipWhitespace(tail, at + kUsageKey.size());
            if (p < tail.size() && tail[p] == ':') {
                p = JsonScanner::skipWhitespace(tail, p + 1);
                if (p < tail.size() && tail[p] == '{') {
                    const qsizetype end = JsonScanner(tail).scanValue(p);
                    if (end > p) {
                        applyUsage(tail.sliced(p, end - p), false);
                        return;
                    }
                }
            }
        }
        if (at == 0)
            return;
        from = at - 1;
    }
}

void ResponseTap::applyUsage(QByteArrayView usageObject, bool partial)
{
    if (usageObject.isEmpty())
        return;
    const UsageFields u(usageObject);
    if (!u.isValid())
        return;
    const auto set = [](qint64 &field, std::optional<qint64> value) {
        if (value)
            field = *value;
    };
    TokenUsage next = partial ? m_usage : TokenUsage();
    switch (m_endpoint) {
    case Endpoint::Messages:
    case Endpoint::CountTokens:
        set(next.input, u.count("input_tokens"));
        set(next.output, u.count("output_tokens"));
        set(next.cachedInput, u.count("cache_read_input_tokens"));
        set(next.cacheWrite, u.count("cache_creation_input_tokens"));
        if (const auto written5m = u.count("ephemeral_5m_input_tokens", "cache_creation"),
            written1h = u.count("ephemeral_1h_input_tokens", "cache_creation");
            written5m || written1h) {
            set(next.cacheWrite1h, written1h);
            // The split is a breakdown of cache_creation_input_tokens. Where the total is
            // missing or smaller, the split's sum is the total: otherwise 1-hour writes
            // would fall outside the writes they are priced as a part of.
            next.cacheWrite = qMax(next.cacheWrite, written5m.value_or(0) + written1h.value_or(0));
        }
        break;
    case Endpoint::Responses:
        set(next.input, u.count("input_tokens"));
        set(next.output, u.count("output_tokens"));
        set(next.cachedInput, u.count("cached_tokens", "input_tokens_details"));
        set(next.cacheWrite, u.count("cache_write_tokens", "input_tokens_details"));
        set(next.reasoning, u.count("reasoning_tokens", "output_tokens_details"));
        break;
    default:
        set(next.input, u.count("prompt_tokens"));
        set(next.output, u.count("completion_tokens"));
        // DeepSeek reports its cache hits as prompt_cache_hit_tokens instead; like OpenAI's
        // cached_tokens they are a part of prompt_tokens.
        const auto cached = u.count("cached_tokens", "prompt_tokens_details");
        set(next.cachedInput, cached ? cached : u.count("prompt_cache_hit_tokens"));
        // GPT-5.6 and later bill cache writes; like the reads they are a part of prompt_tokens.
        set(next.cacheWrite, u.count("cache_write_tokens", "prompt_tokens_details"));
        set(next.reasoning, u.count("reasoning_tokens", "completion_tokens_details"));
        if (m_endpoint == Endpoint::Embeddings && next.input >= 0 && next.output < 0)
            next.output = 0;
        break;
    }
    if (next.known())
        m_usage = next;
}

} // namespace sy::providers
