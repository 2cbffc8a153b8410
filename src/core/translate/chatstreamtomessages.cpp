// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "chatstreamtomessages.h"

#include <QUuid>

#include "providers/jsonscanner.h"
#include "translate/stopreason.h"
#include "translate/translatelog.h"

namespace sy::translate {

using providers::JsonScanner;

namespace {

// Follows a JSON text as it arrives, to tell when it forms one whole value.
class JsonCompletion
{
public:
    void feed(QByteArrayView utf8)
    {
        for (char c : utf8) {
            if (m_inString) {
                if (m_escape)
                    m_escape = false;
                else if (c == '\\')
                    m_escape = true;
                else if (c == '"')
                    m_inString = false;
                continue;
            }
            switch (c) {
            case '"':
                m_inString = true;
                m_started = true;
                break;
            case '{':
            case '[':
                ++m_depth;
                m_started = true;
                break;
            case '}':
            case ']':
                --m_depth;
                break;
            default:
                break;
            }
        }
    }
    bool complete() const { return m_started && m_depth <= 0 && !m_inString; }

private:
    int m_depth = 0;
    bool m_inString = false;
    bool m_escape = false;
    bool m_started = false;
};

void appendEvent(QByteArray &out, QByteArrayView type, QByteArrayView data)
{
    out += "event: ";
    out += type;
    out += "\ndata: ";
    out += data;
    out += "\n\n";
}

} // namespace

struct ChatStreamToMessages::ToolCall
{
    QByteArray key; // the OpenAI index (or id) that names it across chunks
    QByteArray id;
    QByteArray name; // the caller's name, restored
    QByteArray held; // escaped JSON string content not yet sent
    JsonCompletion arguments;
    int block = -1; // its content block's index once opened
    bool closed = false;
};

ChatStreamToMessages::ChatStreamToMessages(std::shared_ptr<const Translation> translation)
    : m_translation(std::move(translation)), m_parser(providers::SseParser::kDefaultMaxEventSize, false)
{ }

ChatStreamToMessages::~ChatStreamToMessages() = default;

void ChatStreamToMessages::feed(QByteArrayView bytes, QByteArray &out)
{
    if (m_ended)
        return;
    m_parser.feed(bytes, m_events);
    for (const providers::SseEvent &event : std::as_const(m_events)) {
        if (event.complete && event.hasData && !event.oversized)
            onEvent(event.data, out);
    }
    m_events.clear();
}

void ChatStreamToMessages::onEvent(QByteArrayView data, QByteArray &out)
{
    if (m_ended)
        return;
    if (data == "[DONE]") {
        if (!m_finish.isEmpty()) {
            end(out);
        }
        return;
    }
    const JsonView chunk = JsonView::parse(data);
    if (!chunk.isObject()) {
        qCDebug(lcTranslate) << "skipped a stream event that is not a JSON object";
        return;
    }
    if (const JsonView error = chunk.member("error"); error.isObject()) {
        fail(out, QString::fromUtf8(error.member("message").utf8()));
        return;
    }
    onChunk(chunk, out);
}

void ChatStreamToMessages::startMessage(const JsonView &chunk, QByteArray &out)
{
    m_started = true;
    QByteArray id = chunk.member("id").utf8();
    id = "msg_" + (id.isEmpty() ? QUuid::createUuid().toByteArray(QUuid::Id128) : id);
    QByteArray data;
    data.reserve(256);
    data += R"({"type":"message_start","message":{"id":)";
    JsonScanner::appendQuoted(data, id);
    data += R"(,"type":"message","role":"assistant","model":)";
    JsonScanner::appendQuoted(data, m_translation->clientModel);
    data += R"(,"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":)";
    data += QByteArray::number(m_translation->estimatedInputTokens);
    data += R"(,"output_tokens":1}}})";
    appendEvent(out, "message_start", data);
}

void ChatStreamToMessages::onChunk(const JsonView &chunk, QByteArray &out)
{
    if (!m_started)
        startMessage(chunk, out);
    if (const JsonView usage = chunk.member("usage"); usage.isObject()) {
        m_promptTokens = usage.member("prompt_tokens").integer().value_or(m_promptTokens);
        m_completionTokens = usage.member("completion_tokens").integer().value_or(m_completionTokens);
        const JsonView details = usage.member("prompt_tokens_details");
        m_cachedTokens = details.member("cached_tokens")
                             .integer()
                             .value_or(usage.member("prompt_cache_hit_tokens").integer().value_or(m_cachedTokens));
        m_cacheWriteTokens = details.member("cache_write_tokens").integer().value_or(m_cacheWriteTokens);
    }
    const QList<JsonView> choices = chunk.member("choices").elements();
    for (const JsonView &choice : choices) {
        // One answer is asked for; a stray second choice would interleave two messages.
        if (const auto index = choice.member("index").integer(); index && *index != 0)
            continue;
        const JsonView delta = choice.member("delta");
        JsonView reasoning = delta.member("reasoning_content");
        if (!reasoning.isNonEmptyString())
            reasoning = delta.member("reasoning");
        if (reasoning.isNonEmptyString()) {
            if (m_open != Block::Thinking)
                openBlock(Block::Thinking, out);
            QByteArray data = R"({"type":"content_block_delta","index":)" + QByteArray::number(m_nextIndex - 1)
                + R"(,"delta":{"type":"thinking_delta","thinking":)";
            data += reasoning.raw();
            data += "}}";
            appendEvent(out, "content_block_delta", data);
            m_outputBytes += reasoning.raw().size();
        }
        if (const JsonView content = delta.member("content"); content.isNonEmptyString()) {
            if (m_open != Block::Text)
                openBlock(Block::Text, out);
            QByteArray data = R"({"type":"content_block_delta","index":)" + QByteArray::number(m_nextIndex - 1)
                + R"(,"delta":{"type":"text_delta","text":)";
            data += content.raw();
            data += "}}";
            appendEvent(out, "content_block_delta", data);
            m_outputBytes += content.raw().size();
        }
        const QList<JsonView> calls = delta.member("tool_calls").elements();
        for (qsizetype i = 0; i < calls.size(); ++i)
            onToolFragment(calls.at(i), i, out);
        if (const JsonView finish = choice.member("finish_reason"); finish.isString())
            m_finish = finish.utf8();
        if (const JsonView matched = choice.member("stop_reason"); matched.isString())
            m_matchedStop = matched.raw().toByteArray();
    }
}

void ChatStreamToMessages::onToolFragment(const JsonView &fragment, qsizetype position, QByteArray &out)
{
    // Calls are told apart by index; a provider that sends none gets the id, then the position.
    QByteArray key = fragment.member("index").raw().toByteArray();
    const QByteArray id = fragment.member("id").utf8();
    if (key.isEmpty())
        key = id.isEmpty() ? "#" + QByteArray::number(position) : id;
    qsizetype tool = -1;
    for (qsizetype i = 0; i < m_tools.size(); ++i) {
        if (m_tools.at(i).key == key)
            tool = i;
    }
    if (tool < 0) {
        m_tools.append(ToolCall {key, {}, {}, {}, {}});
        tool = m_tools.size() - 1;
    }
    ToolCall &call = m_tools[tool];
    if (call.id.isEmpty() && !id.isEmpty())
        call.id = id;
    const JsonView function = fragment.member("function");
    if (call.name.isEmpty()) {
        if (const QByteArray name = function.member("name").utf8(); !name.isEmpty())
            call.name = m_translation->toolNames.restore(name);
    }
    const JsonView arguments = function.member("arguments");
    const QByteArrayView inner
        = arguments.isNonEmptyString() ? arguments.raw().sliced(1, arguments.raw().size() - 2) : QByteArrayView();
    if (call.closed) {
        if (!inner.isEmpty())
            qCWarning(lcTranslate) << "dropped a tool call fragment that came after its block closed";
        return;
    }
    if (!inner.isEmpty())
        call.arguments.feed(JsonScanner::decodeStringUtf8(arguments.raw()));
    if (m_open == Block::Tool && m_openTool == tool) {
        emitToolDelta(call, inner, out);
        if (call.arguments.complete() && anyHeld()) {
            closeBlock(out);
            openNextHeld(out);
        }
        return;
    }
    call.held += inner;
    if (m_open != Block::Tool) {
        closeBlock(out);
        openNextHeld(out);
        return;
    }
    // Another call's block is open: it closes once its arguments are whole.
    if (m_tools.at(m_openTool).arguments.complete()) {
        closeBlock(out);
        openNextHeld(out);
    }
}

void ChatStreamToMessages::emitToolDelta(ToolCall &tool, QByteArrayView innerJson, QByteArray &out)
{
    if (innerJson.isEmpty())
        return;
    QByteArray data = R"({"type":"content_block_delta","index":)" + QByteArray::number(tool.block)
        + R"(,"delta":{"type":"input_json_delta","partial_json":")";
    data += innerJson;
    data += "\"}}";
    appendEvent(out, "content_block_delta", data);
    m_outputBytes += innerJson.size();
}

bool ChatStreamToMessages::anyHeld() const
{
    for (qsizetype i = 0; i < m_tools.size(); ++i) {
        if (i != m_openTool && !m_tools.at(i).closed && m_tools.at(i).block < 0 && !m_tools.at(i).name.isEmpty())
            return true;
    }
    return false;
}

void ChatStreamToMessages::openNextHeld(QByteArray &out)
{
    for (qsizetype i = 0; i < m_tools.size(); ++i) {
        ToolCall &call = m_tools[i];
        if (call.closed || call.block >= 0 || call.name.isEmpty())
            continue;
        openTool(i, out);
        const QByteArray held = std::exchange(call.held, QByteArray());
        emitToolDelta(call, held, out);
        if (!(call.arguments.complete() && anyHeld()))
            return; // it stays open for its next fragments
        closeBlock(out);
    }
}

void ChatStreamToMessages::openBlock(Block kind, QByteArray &out)
{
    closeBlock(out);
    m_open = kind;
    QByteArray data = R"({"type":"content_block_start","index":)" + QByteArray::number(m_nextIndex++)
        + (kind == Block::Text ? R"(,"content_block":{"type":"text","text":""}})"
                               : R"(,"content_block":{"type":"thinking","thinking":"","signature":""}})");
    appendEvent(out, "content_block_start", data);
}

void ChatStreamToMessages::openTool(qsizetype tool, QByteArray &out)
{
    closeBlock(out);
    ToolCall &call = m_tools[tool];
    if (call.id.isEmpty())
        call.id = "toolu_" + QUuid::createUuid().toByteArray(QUuid::Id128).left(24);
    call.block = m_nextIndex++;
    m_open = Block::Tool;
    m_openTool = tool;
    m_toolEmitted = true;
    QByteArray data = R"({"type":"content_block_start","index":)" + QByteArray::number(call.block)
        + R"(,"content_block":{"type":"tool_use","id":)";
    JsonScanner::appendQuoted(data, call.id);
    data += R"(,"name":)";
    JsonScanner::appendQuoted(data, call.name);
    data += R"(,"input":{}}})";
    appendEvent(out, "content_block_start", data);
}

void ChatStreamToMessages::closeBlock(QByteArray &out)
{
    if (m_open == Block::None)
        return;
    if (m_open == Block::Tool) {
        m_tools[m_openTool].closed = true;
        m_openTool = -1;
    }
    m_open = Block::None;
    appendEvent(out, "content_block_stop",
                QByteArray(R"({"type":"content_block_stop","index":)" + QByteArray::number(m_nextIndex - 1) + '}'));
}

void ChatStreamToMessages::end(QByteArray &out)
{
    closeBlock(out);
    // Calls still held (their names came late, or they came after the last switch).
    for (qsizetype i = 0; i < m_tools.size(); ++i) {
        ToolCall &call = m_tools[i];
        if (call.closed || call.block >= 0)
            continue;
        if (call.name.isEmpty()) {
            qCWarning(lcTranslate) << "dropped a tool call that never got a name";
            continue;
        }
        openTool(i, out);
        emitToolDelta(call, std::exchange(call.held, QByteArray()), out);
        closeBlock(out);
    }
    const StopReason stop = StopReason::fromOpenAI(
        m_finish, m_matchedStop.isEmpty() ? JsonView() : JsonView::parse(m_matchedStop), m_toolEmitted, *m_translation);
    QByteArray data = R"({"type":"message_delta","delta":{"stop_reason":")" + stop.reason + R"(","stop_sequence":)";
    if (stop.sequence.isEmpty())
        data += "null";
    else
        JsonScanner::appendQuoted(data, stop.sequence);
    data += R"(},"usage":{)";
    if (m_promptTokens >= 0) {
        const qint64 uncached = qMax<qint64>(0, m_promptTokens - m_cachedTokens - m_cacheWriteTokens);
        data += R"("input_tokens":)" + QByteArray::number(uncached) + R"(,"cache_creation_input_tokens":)"
            + QByteArray::number(m_cacheWriteTokens) + R"(,"cache_read_input_tokens":)"
            + QByteArray::number(m_cachedTokens) + ',';
    }
    // Without the provider's count, an estimate (about 4 bytes a token) rather than a 0.
    const qint64 output = m_completionTokens >= 0 ? m_completionTokens : qMax<qint64>(1, m_outputBytes / 4);
    data += R"("output_tokens":)" + QByteArray::number(output) + "}}";
    appendEvent(out, "message_delta", data);
    appendEvent(out, "message_stop", R"({"type":"message_stop"})");
    m_ended = true;
}

bool ChatStreamToMessages::finish(QByteArray &out)
{
    if (m_ended)
        return true;
    m_parser.finish(m_events);
    for (const providers::SseEvent &event : std::as_const(m_events)) {
        if (event.complete && event.hasData && !event.oversized)
            onEvent(event.data, out);
    }
    m_events.clear();
    if (m_ended)
        return true;
    if (m_finish.isEmpty()) {
        fail(out, u"the provider's stream ended before the answer was complete");
        return false;
    }
    end(out);
    return true;
}

void ChatStreamToMessages::fail(QByteArray &out, QStringView message)
{
    if (m_ended)
        return;
    m_ended = true;
    QByteArray data = R"({"type":"error","error":{"type":"api_error","message":)";
    JsonScanner::appendQuoted(data, message);
    data += "}}";
    appendEvent(out, "error", data);
}

} // namespace sy::translate
