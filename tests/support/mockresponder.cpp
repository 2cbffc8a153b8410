// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "mockresponder.h"

#include <atomic>
#include <cstring>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QUrlQuery>

#include "providers/jsonscanner.h"

namespace sy::testsupport {

namespace {

using Script = MockUpstream::Script;
using Header = MockUpstream::Header;

constexpr qsizetype kCacheLimit = 512;
constexpr qsizetype kMaxPieces = 256;

enum class Api { OpenAi, Anthropic };

// Text of a content field: a plain string, or the text parts of a parts array
// (chat "text", Responses "input_text"/"output_text", Anthropic "text" blocks).
QString contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QString text;
    const QJsonArray parts = content.toArray();
    for (const QJsonValue &part : parts) {
        const QJsonObject object = part.toObject();
        const QString type = object.value(u"type").toString();
        if (type == u"text" || type == u"input_text" || type == u"output_text")
            text += object.value(u"text").toString();
    }
    return text;
}

QString lastUserText(const QJsonArray &messages)
{
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        const QJsonObject message = messages.at(i).toObject();
        if (message.value(u"role").toString() == u"user")
            return contentText(message.value(u"content"));
    }
    return {};
}

// "echo: a b" -> "echo: ", "a ", "b": how a model's tokens arrive, a word at a time.
QList<QByteArray> pieces(const QByteArray &text)
{
    QList<QByteArray> out;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == ' ' && out.size() < kMaxPieces - 1) {
            out.append(text.mid(start, i + 1 - start));
            start = i + 1;
        }
    }
    if (start < text.size() || out.isEmpty())
        out.append(text.mid(start));
    return out;
}

QByteArray num(qint64 value)
{
    return QByteArray::number(value);
}

QByteArray hexId(int length)
{
    static const char digits[] = "0123456789abcdef";
    QByteArray id(length, Qt::Uninitialized);
    auto *random = QRandomGenerator::global();
    for (int i = 0; i < length; ++i)
        id[i] = digits[random->bounded(16)];
    return id;
}

QList<Header> openAiHeaders(bool stream)
{
    return {
        {"content-type", stream ? "text/event-stream; charset=utf-8" : "application/json"},
        {"openai-organization", "switchyard-mock"},
        {"openai-processing-ms", "12"},
        {"openai-version", "2020-10-01"},
        {"x-ratelimit-limit-requests", "10000"},
        {"x-ratelimit-limit-tokens", "30000000"},
        {"x-ratelimit-remaining-requests", "9999"},
        {"x-ratelimit-remaining-tokens", "29999980"},
        {"x-ratelimit-reset-requests", "6ms"},
        {"x-ratelimit-reset-tokens", "0s"},
    };
}

QList<Header> anthropicHeaders(bool stream)
{
    static const QByteArray reset = "2026-01-01T00:00:01Z";
    QList<Header> headers {
        {"content-type", stream ? "text/event-stream; charset=utf-8" : "application/json"},
        {"anthropic-organization-id", "00000000-0000-4000-8000-000000000000"},
        {"anthropic-ratelimit-requests-limit", "4000"},
        {"anthropic-ratelimit-requests-remaining", "3999"},
        {"anthropic-ratelimit-requests-reset", reset},
        {"anthropic-ratelimit-input-tokens-limit", "2000000"},
        {"anthropic-ratelimit-input-tokens-remaining", "1999990"},
        {"anthropic-ratelimit-input-tokens-reset", reset},
        {"anthropic-ratelimit-output-tokens-limit", "400000"},
        {"anthropic-ratelimit-output-tokens-remaining", "399990"},
        {"anthropic-ratelimit-output-tokens-reset", reset},
        {"anthropic-ratelimit-tokens-limit", "2400000"},
        {"anthropic-ratelimit-tokens-remaining", "2399980"},
        {"anthropic-ratelimit-tokens-reset", reset},
    };
    if (stream)
        headers.emplaceBack("cache-control", "no-cache");
    return headers;
}

QByteArray sseData(const QByteArray &json)
{
    return "data: " + json + "\n\n";
}

QByteArray sseEvent(const QByteArray &name, const QByteArray &json)
{
    return "event: " + name + "\ndata: " + json + "\n\n";
}

Script complete(int status, QList<Header> headers, QByteArray body)
{
    Script script;
    script.status = status;
    script.headers = std::move(headers);
    script.body = std::move(body);
    return script;
}

Script streamed(QList<Header> headers, const QList<QByteArray> &events, int delayMs)
{
    Script script;
    script.headers = std::move(headers);
    script.chunks.reserve(events.size());
    for (qsizetype i = 0; i < events.size(); ++i)
        script.chunks.append({events.at(i), i == 0 ? 0 : delayMs});
    return script;
}

QByteArray openAiErrorBody(const QByteArray &type, const QByteArray &code, const QByteArray &message)
{
    return "{\"error\":{\"message\":" + MockResponder::jsonString(message)
        + ",\"type\":" + MockResponder::jsonString(type)
        + ",\"param\":null,\"code\":" + (code.isEmpty() ? QByteArray("null") : MockResponder::jsonString(code)) + "}}";
}

QByteArray anthropicErrorBody(const QByteArray &type, const QByteArray &message)
{
    return "{\"type\":\"error\",\"error\":{\"type\":" + MockResponder::jsonString(type)
        + ",\"message\":" + MockResponder::jsonString(message) + "},\"request_id\":\"req_011CMock" + hexId(16) + "\"}";
}

// The floats of one embedding: small, deterministic, different per input.
QList<float> embeddingValues(int index, int dimensions)
{
    QList<float> values(dimensions);
    for (int k = 0; k < dimensions; ++k)
        values[k] = float((k % 7) - 3) * 0.01f + float(index) * 0.001f;
    return values;
}

// --- OpenAI ---------------------------------------------------------------------------

class Builder
{
public:
    Builder(const MockUpstream::Usage &usage, int delayMs)
        : u(usage), delay(delayMs), created(num(QDateTime::currentSecsSinceEpoch()))
    { }

    QByteArray chatUsage() const
    {
        return "{\"prompt_tokens\":" + num(u.inputTokens) + ",\"completion_tokens\":" + num(u.outputTokens)
            + ",\"total_tokens\":" + num(u.inputTokens + u.outputTokens)
            + ",\"prompt_tokens_details\":{\"cached_tokens\":" + num(u.cachedInputTokens)
            + ",\"cache_write_tokens\":" + num(u.cacheWriteTokens)
            + ",\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":" + num(u.reasoningTokens)
            + ",\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";
    }

    Script chat(const QJsonObject &request) const
    {
        const QByteArray model = request.value(u"model").toString().toUtf8();
        const QByteArray text = "echo: " + lastUserText(request.value(u"messages").toArray()).toUtf8();
        const QByteArray id = "\"chatcmpl-mock" + hexId(24) + '"';
        if (!request.value(u"stream").toBool()) {
            return complete(200, openAiHeaders(false),
                            "{\"id\":" + id + ",\"object\":\"chat.completion\",\"created\":" + created
                                + ",\"model\":" + MockResponder::jsonString(model)
                                + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                                + MockResponder::jsonString(text)
                                + ",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}]"
                                + ",\"usage\":" + chatUsage()
                                + ",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_mock\"}");
        }
        const bool includeUsage = request.value(u"stream_options").toObject().value(u"include_usage").toBool();
        const QByteArray prefix = "{\"id\":" + id + ",\"object\":\"chat.completion.chunk\",\"created\":" + created
            + ",\"model\":" + MockResponder::jsonString(model)
            + ",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_mock\",\"choices\":";
        const QByteArray suffix = includeUsage ? QByteArray(",\"usage\":null}") : QByteArray("}");
        QList<QByteArray> events;
        events.append(sseData(prefix
                              + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                                "\"logprobs\":null,\"finish_reason\":null}]"
                              + suffix));
        for (const QByteArray &piece : pieces(text)) {
            events.append(sseData(prefix + "[{\"index\":0,\"delta\":{\"content\":" + MockResponder::jsonString(piece)
                                  + "},\"logprobs\":null,\"finish_reason\":null}]" + suffix));
        }
        events.append(
            sseData(prefix + "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]" + suffix));
        if (includeUsage)
            events.append(sseData(prefix + "[],\"usage\":" + chatUsage() + '}'));
        events.append(QByteArrayLiteral("data: [DONE]\n\n"));
        return streamed(openAiHeaders(true), events, delay);
    }

    Script completions(const QJsonObject &request) const
    {
        const QByteArray model = request.value(u"model").toString().toUtf8();
        const QJsonValue prompt = request.value(u"prompt");
        const QString promptText = prompt.isArray() ? prompt.toArray().last().toString() : prompt.toString();
        const QByteArray text = "echo: " + promptText.toUtf8();
        const QByteArray id = "\"cmpl-mock" + hexId(24) + '"';
        const QByteArray usage = "{\"prompt_tokens\":" + num(u.inputTokens) + ",\"completion_tokens\":"
            + num(u.outputTokens) + ",\"total_tokens\":" + num(u.inputTokens + u.outputTokens) + '}';
        const QByteArray prefix = "{\"id\":" + id + ",\"object\":\"text_completion\",\"created\":" + created
            + ",\"model\":" + MockResponder::jsonString(model) + ",\"system_fingerprint\":\"fp_mock\",\"choices\":";
        if (!request.value(u"stream").toBool()) {
            return complete(200, openAiHeaders(false),
                            prefix + "[{\"text\":" + MockResponder::jsonString(text)
                                + ",\"index\":0,\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":" + usage
                                + '}');
        }
        const bool includeUsage = request.value(u"stream_options").toObject().value(u"include_usage").toBool();
        const QByteArray suffix = includeUsage ? QByteArray(",\"usage\":null}") : QByteArray("}");
        QList<QByteArray> events;
        for (const QByteArray &piece : pieces(text)) {
            events.append(sseData(prefix + "[{\"text\":" + MockResponder::jsonString(piece)
                                  + ",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]" + suffix));
        }
        events.append(
            sseData(prefix + "[{\"text\":\"\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"stop\"}]" + suffix));
        if (includeUsage)
            events.append(sseData(prefix + "[],\"usage\":" + usage + '}'));
        events.append(QByteArrayLiteral("data: [DONE]\n\n"));
        return streamed(openAiHeaders(true), events, delay);
    }

    Script embeddings(const QJsonObject &request) const
    {
        const QByteArray model = request.value(u"model").toString().toUtf8();
        const QJsonValue input = request.value(u"input");
        // A string, an array of strings, or token arrays: one embedding per input either way.
        const qsizetype count = input.isArray() && !input.toArray().isEmpty() && !input.toArray().first().isDouble()
            ? input.toArray().size()
            : 1;
        const int dimensions = request.value(u"dimensions").toInt(8);
        const bool base64 = request.value(u"encoding_format").toString() == u"base64";
        QByteArray data;
        for (qsizetype i = 0; i < count; ++i) {
            const QList<float> values = embeddingValues(int(i), dimensions);
            QByteArray embedding;
            if (base64) {
                // Little-endian float32, as the API sends (and the openai SDK asks for by default).
                QByteArray raw(values.size() * qsizetype(sizeof(float)), Qt::Uninitialized);
                std::memcpy(raw.data(), values.constData(), size_t(raw.size()));
                embedding = '"' + raw.toBase64() + '"';
            } else {
                embedding = "[";
                for (qsizetype k = 0; k < values.size(); ++k) {
                    if (k)
                        embedding += ',';
                    embedding += QByteArray::number(double(values.at(k)), 'g', 6);
                }
                embedding += ']';
            }
            if (i)
                data += ',';
            data += "{\"object\":\"embedding\",\"index\":" + num(i) + ",\"embedding\":" + embedding + '}';
        }
        return complete(200, openAiHeaders(false),
                        "{\"object\":\"list\",\"data\":[" + data + "],\"model\":" + MockResponder::jsonString(model)
                            + ",\"usage\":{\"prompt_tokens\":" + num(u.inputTokens)
                            + ",\"total_tokens\":" + num(u.inputTokens) + "}}");
    }

    QByteArray responsesUsage() const
    {
        return "{\"input_tokens\":" + num(u.inputTokens) + ",\"input_tokens_details\":{\"cached_tokens\":"
            + num(u.cachedInputTokens) + ",\"cache_write_tokens\":" + num(u.cacheWriteTokens) + "},\"output_tokens\":"
            + num(u.outputTokens) + ",\"output_tokens_details\":{\"reasoning_tokens\":" + num(u.reasoningTokens)
            + "},\"total_tokens\":" + num(u.inputTokens + u.outputTokens) + '}';
    }

    Script responses(const QJsonObject &request) const
    {
        const QByteArray model = request.value(u"model").toString().toUtf8();
        const QJsonValue input = request.value(u"input");
        const QString inputText = input.isString() ? input.toString() : lastUserText(input.toArray());
        const QByteArray text = "echo: " + inputText.toUtf8();
        const QByteArray id = "resp_mock" + hexId(40);
        const QByteArray itemId = "msg_mock" + hexId(40);
        const QByteArray instructions = request.value(u"instructions").isString()
            ? MockResponder::jsonString(request.value(u"instructions").toString().toUtf8())
            : QByteArray("null");

        const auto object
            = [&](const QByteArray &status, const QByteArray &output, const QByteArray &usage) -> QByteArray {
            // An explicit return type: "auto" would return a QStringBuilder of dangling temporaries.
            return "{\"id\":\"" + id + "\",\"object\":\"response\",\"created_at\":" + created + ",\"status\":\""
                + status
                + "\",\"background\":false,\"error\":null,\"incomplete_details\":null,\"instructions\":" + instructions
                + ",\"max_output_tokens\":null,\"model\":" + MockResponder::jsonString(model) + ",\"output\":[" + output
                + "],\"parallel_tool_calls\":true,\"previous_response_id\":null,\"reasoning\":{\"effort\":"
                  "null,"
                  "\"summary\":null},\"service_tier\":\"default\",\"store\":true,\"temperature\":1.0,"
                  "\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":"
                  "1.0,"
                  "\"truncation\":\"disabled\",\"usage\":"
                + usage + ",\"user\":null,\"metadata\":{}}";
        };
        const QByteArray part = "{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":"
            + MockResponder::jsonString(text) + '}';
        const QByteArray item = "{\"id\":\"" + itemId + "\",\"type\":\"message\",\"status\":\"completed\",\"content\":["
            + part + "],\"role\":\"assistant\"}";

        if (!request.value(u"stream").toBool())
            return complete(200, openAiHeaders(false), object("completed", item, responsesUsage()));

        int sequence = 0;
        QList<QByteArray> events;
        const auto add = [&](const QByteArray &type, const QByteArray &fields) {
            events.append(sseEvent(
                type, "{\"type\":\"" + type + "\",\"sequence_number\":" + num(sequence++) + ',' + fields + '}'));
        };
        const QByteArray inProgress = object("in_progress", {}, "null");
        const QByteArray where = "\"item_id\":\"" + itemId + "\",\"output_index\":0,\"content_index\":0";
        add("response.created", "\"response\":" + inProgress);
        add("response.in_progress", "\"response\":" + inProgress);
        add("response.output_item.added",
            "\"output_index\":0,\"item\":{\"id\":\"" + itemId
                + "\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":"
                  "\"assistant\"}");
        add("response.content_part.added",
            where + ",\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"\"}");
        for (const QByteArray &piece : pieces(text))
            add("response.output_text.delta",
                where + ",\"delta\":" + MockResponder::jsonString(piece) + ",\"logprobs\":[]");
        add("response.output_text.done", where + ",\"text\":" + MockResponder::jsonString(text) + ",\"logprobs\":[]");
        add("response.content_part.done", where + ",\"part\":" + part);
        add("response.output_item.done", "\"output_index\":0,\"item\":" + item);
        add("response.completed", "\"response\":" + object("completed", item, responsesUsage()));
        return streamed(openAiHeaders(true), events, delay);
    }

    // --- Anthropic --------------------------------------------------------------------

    QByteArray anthropicUsage(int outputTokens) const
    {
        return "{\"input_tokens\":" + num(u.inputTokens) + ",\"cache_creation_input_tokens\":" + num(u.cacheWriteTokens)
            + ",\"cache_read_input_tokens\":" + num(u.cachedInputTokens)
            + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":" + num(u.cacheWriteTokens)
            + ",\"ephemeral_1h_input_tokens\":0},\"output_tokens\":" + num(outputTokens)
            + ",\"service_tier\":\"standard\"}";
    }

    Script messages(const QJsonObject &request) const
    {
        const QByteArray model = MockResponder::jsonString(request.value(u"model").toString().toUtf8());
        const QByteArray text = "echo: " + lastUserText(request.value(u"messages").toArray()).toUtf8();
        const QByteArray id = "\"msg_01Mock" + hexId(22) + '"';
        if (!request.value(u"stream").toBool()) {
            return complete(200, anthropicHeaders(false),
                            "{\"id\":" + id + ",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + model
                                + ",\"content\":[{\"type\":\"text\",\"text\":" + MockResponder::jsonString(text)
                                + "}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":"
                                + anthropicUsage(u.outputTokens) + '}');
        }
        QList<QByteArray> events;
        events.append(sseEvent("message_start",
                               "{\"type\":\"message_start\",\"message\":{\"id\":" + id
                                   + ",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + model
                                   + ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":"
                                   + anthropicUsage(1) + "}}"));
        events.append(sseEvent("content_block_start",
                               "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
                               "\"text\":\"\"}}"));
        events.append(sseEvent("ping", "{\"type\": \"ping\"}"));
        for (const QByteArray &piece : pieces(text)) {
            events.append(sseEvent("content_block_delta",
                                   "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                                   "\"text\":"
                                       + MockResponder::jsonString(piece) + "}}"));
        }
        events.append(sseEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        events.append(sseEvent("message_delta",
                               "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                               "\"stop_sequence\":null},\"usage\":{\"output_tokens\":"
                                   + num(u.outputTokens) + "}}"));
        events.append(sseEvent("message_stop", "{\"type\":\"message_stop\"}"));
        return streamed(anthropicHeaders(true), events, delay);
    }

    Script countTokens() const
    {
        return complete(200, anthropicHeaders(false), "{\"input_tokens\":" + num(u.inputTokens) + '}');
    }

private:
    MockUpstream::Usage u;
    int delay;
    QByteArray created;
};

bool looksAnthropic(const MockUpstream::ReceivedRequest &request)
{
    return request.hasHeader("anthropic-version") || request.hasHeader("x-api-key");
}

} // namespace

QByteArray MockResponder::jsonString(QByteArrayView utf8)
{
    QByteArray out;
    sy::providers::JsonScanner::appendQuoted(out, utf8); // the gateway's own escaping
    return out;
}

// Unique per request without a random draw each time: a random prefix and a counter.
static QByteArray freshId(int width)
{
    static const QByteArray prefix = hexId(12);
    static std::atomic<quint64> counter {0};
    return prefix + QByteArray::number(++counter, 16).rightJustified(width - 12, '0');
}

MockUpstream::Header MockResponder::openAiRequestId()
{
    return {QByteArrayLiteral("x-request-id"), "req_" + freshId(32)};
}

MockUpstream::Header MockResponder::anthropicRequestId()
{
    return {QByteArrayLiteral("request-id"), "req_011CMock" + freshId(16)};
}

void MockResponder::setUsage(const MockUpstream::Usage &usage)
{
    m_usage = usage;
    m_cache.clear();
}

void MockResponder::setStreamDelay(int ms)
{
    m_streamDelayMs = ms;
    m_cache.clear();
}

MockUpstream::Script MockResponder::models(const MockUpstream::ReceivedRequest &request) const
{
    static const QList<QByteArray> kOpenAi {"gpt-4o-mini", "gpt-4o", "gpt-4.1", "o4-mini", "text-embedding-3-small"};
    static const QList<QByteArray> kAnthropic {"claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001",
                                               "claude-opus-4-1-20250805"};
    if (!looksAnthropic(request)) {
        QByteArray data;
        for (const QByteArray &id : m_models.isEmpty() ? kOpenAi : m_models) {
            if (!data.isEmpty())
                data += ',';
            data += "{\"id\":" + jsonString(id)
                + ",\"object\":\"model\",\"created\":1715367049,\"owned_by\":\"system\"}";
        }
        return complete(200, openAiHeaders(false), "{\"object\":\"list\",\"data\":[" + data + "]}");
    }

    // Anthropic pages: ?limit=N (default 20, at most the page limit) and after_id.
    const QList<QByteArray> &all = m_models.isEmpty() ? kAnthropic : m_models;
    const QUrlQuery query(QString::fromUtf8(request.target.mid(request.path().size() + 1)));
    int limit
        = query.hasQueryItem(QStringLiteral("limit")) ? query.queryItemValue(QStringLiteral("limit")).toInt() : 20;
    limit = qBound(1, limit, qMax(1, m_modelsPageLimit));
    qsizetype from = 0;
    if (query.hasQueryItem(QStringLiteral("after_id"))) {
        const QByteArray after = query.queryItemValue(QStringLiteral("after_id"), QUrl::FullyDecoded).toUtf8();
        from = all.indexOf(after) + 1;
        if (from == 0)
            return Script::anthropicError(400, "invalid_request_error", "after_id: no such model");
    }
    const QList<QByteArray> page = all.mid(from, limit);
    QByteArray data;
    for (const QByteArray &id : page) {
        if (!data.isEmpty())
            data += ',';
        data += "{\"type\":\"model\",\"id\":" + jsonString(id) + ",\"display_name\":" + jsonString(id)
            + ",\"created_at\":\"2025-09-29T00:00:00Z\"}";
    }
    const bool more = from + page.size() < all.size();
    return complete(200, anthropicHeaders(false),
                    "{\"data\":[" + data + "],\"has_more\":" + (more ? "true" : "false")
                        + ",\"first_id\":" + (page.isEmpty() ? QByteArray("null") : jsonString(page.first()))
                        + ",\"last_id\":" + (page.isEmpty() ? QByteArray("null") : jsonString(page.last())) + '}');
}

MockUpstream::Script MockResponder::respond(const MockUpstream::ReceivedRequest &request)
{
    if (request.method == "GET" && request.path() == "/v1/models") {
        Script script = models(request); // not cached: the list and its pages change
        script.headers.append(looksAnthropic(request) ? anthropicRequestId() : openAiRequestId());
        return script;
    }
    QByteArray key;
    key.reserve(request.method.size() + request.target.size() + request.body.size() + 3);
    key += request.method;
    key += ' ';
    key += request.target;
    key += looksAnthropic(request) ? 'A' : 'O';
    key += request.body;
    auto it = m_cache.constFind(key);
    if (it == m_cache.constEnd()) {
        if (m_cache.size() >= kCacheLimit)
            m_cache.clear();
        it = m_cache.insert(key, build(request));
    }
    Script script = *it;
    const bool anthropic = request.path().startsWith("/v1/messages") || looksAnthropic(request);
    script.headers.append(anthropic ? anthropicRequestId() : openAiRequestId());
    return script;
}

MockUpstream::Script MockResponder::build(const MockUpstream::ReceivedRequest &request) const
{
    const QByteArray path = request.path();
    const Builder builder(m_usage, m_streamDelayMs);
    const bool anthropicPath = path.startsWith("/v1/messages");

    if (request.method == "POST") {
        QJsonParseError error {};
        const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            const QByteArray message = "We could not parse the JSON body of your request.";
            return anthropicPath ? Script::anthropicError(400, "invalid_request_error", message)
                                 : Script::openAiError(400, "invalid_request_error", {}, message);
        }
        const QJsonObject body = document.object();
        if (path == "/v1/chat/completions")
            return builder.chat(body);
        if (path == "/v1/completions")
            return builder.completions(body);
        if (path == "/v1/embeddings")
            return builder.embeddings(body);
        if (path == "/v1/responses")
            return builder.responses(body);
        if (path == "/v1/messages")
            return builder.messages(body);
        if (path == "/v1/messages/count_tokens")
            return builder.countTokens();
    }
    if (anthropicPath || looksAnthropic(request))
        return Script::anthropicError(404, "not_found_error", "Not found");
    return Script::openAiError(404, "invalid_request_error", {}, "Invalid URL (" + request.method + ' ' + path + ')');
}

// --- Script factories (declared in mockupstream.h; they share this file's body builders) ---

MockUpstream::Script MockUpstream::Script::json(int status, const QByteArray &body, const QList<Header> &headers)
{
    Script script;
    script.status = status;
    script.headers = headers;
    script.headers.prepend(Header("content-type", "application/json"));
    script.body = body;
    return script;
}

MockUpstream::Script MockUpstream::Script::sse(const QList<QByteArray> &events, int delayMs, int status)
{
    Script script = streamed({{"content-type", "text/event-stream; charset=utf-8"}}, events, delayMs);
    script.status = status;
    return script;
}

MockUpstream::Script MockUpstream::Script::defaultResponse()
{
    Script script;
    script.useDefault = true;
    return script;
}

MockUpstream::Script MockUpstream::Script::failure(Fault fault, int faultAfter)
{
    Script script = defaultResponse();
    script.fault = fault;
    script.faultAfter = faultAfter;
    return script;
}

MockUpstream::Script MockUpstream::Script::openAiError(int status, const QByteArray &type, const QByteArray &code,
                                                       const QByteArray &message)
{
    QList<Header> headers = openAiHeaders(false);
    headers.append(MockResponder::openAiRequestId());
    if (status == 429 || status == 503)
        headers.emplaceBack("retry-after", "1");
    return complete(status, headers, openAiErrorBody(type, code, message));
}

MockUpstream::Script MockUpstream::Script::anthropicError(int status, const QByteArray &type, const QByteArray &message)
{
    QList<Header> headers = anthropicHeaders(false);
    headers.append(MockResponder::anthropicRequestId());
    headers.emplaceBack("x-should-retry", status == 429 || status >= 500 ? "true" : "false");
    if (status == 429 || status == 529)
        headers.emplaceBack("retry-after", "1");
    return complete(status, headers, anthropicErrorBody(type, message));
}

} // namespace sy::testsupport
