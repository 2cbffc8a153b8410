// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "openaistreambuilder.h"

#include "mockresponder.h"

namespace sy::testsupport {

OpenAiStreamBuilder::OpenAiStreamBuilder(QByteArray id, QByteArray model)
    : m_id(std::move(id)), m_model(std::move(model))
{
    m_payloads.append(chunk(R"({"role":"assistant","content":""})"));
}

QByteArray OpenAiStreamBuilder::chunk(const QByteArray &delta, const QByteArray &finish) const
{
    return R"({"id":")" + m_id + R"(","object":"chat.completion.chunk","created":1700000000,"model":")" + m_model
        + R"(","choices":[{"index":0,"delta":)" + delta + R"(,"finish_reason":)" + finish + "}]}";
}

QByteArray OpenAiStreamBuilder::asciiJsonString(const QString &text)
{
    QByteArray out = "\"";
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (u == '"' || u == '\\') {
            out += '\\';
            out += char(u);
        } else if (u < 0x20 || u > 0x7e) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", unsigned(u));
            out += buffer;
        } else {
            out += char(u);
        }
    }
    return out + '"';
}

OpenAiStreamBuilder &OpenAiStreamBuilder::reasoning(const QString &text, const QByteArray &field)
{
    m_payloads.append(chunk("{\"" + field + "\":" + MockResponder::jsonString(text.toUtf8()) + "}"));
    return *this;
}

OpenAiStreamBuilder &OpenAiStreamBuilder::text(const QStringList &pieces)
{
    for (const QString &piece : pieces)
        m_payloads.append(chunk(R"({"content":)" + MockResponder::jsonString(piece.toUtf8()) + "}"));
    return *this;
}

OpenAiStreamBuilder &OpenAiStreamBuilder::toolStart(int index, const QByteArray &id, const QByteArray &name)
{
    m_payloads.append(chunk(R"({"tool_calls":[{"index":)" + QByteArray::number(index) + R"(,"id":")" + id
                            + R"(","type":"function","function":{"name":")" + name + R"(","arguments":""}}]})"));
    return *this;
}

OpenAiStreamBuilder &OpenAiStreamBuilder::toolArguments(int index, const QString &fragment)
{
    m_payloads.append(chunk(R"({"tool_calls":[{"index":)" + QByteArray::number(index) + R"(,"function":{"arguments":)"
                            + asciiJsonString(fragment) + "}}]}"));
    return *this;
}

OpenAiStreamBuilder &OpenAiStreamBuilder::finish(const QByteArray &reason)
{
    m_payloads.append(chunk("{}", '"' + reason + '"'));
    return *this;
}

OpenAiStreamBuilder &OpenAiStreamBuilder::usage(int prompt, int completion, int cached)
{
    m_payloads.append(R"({"id":")" + m_id + R"(","object":"chat.completion.chunk","created":1700000000,"model":")"
                      + m_model + R"(","choices":[],"usage":{"prompt_tokens":)" + QByteArray::number(prompt)
                      + R"(,"completion_tokens":)" + QByteArray::number(completion) + R"(,"total_tokens":)"
                      + QByteArray::number(prompt + completion) + R"(,"prompt_tokens_details":{"cached_tokens":)"
                      + QByteArray::number(cached) + "}}}");
    return *this;
}

OpenAiStreamBuilder &OpenAiStreamBuilder::raw(const QByteArray &data)
{
    m_payloads.append(data);
    return *this;
}

QList<QByteArray> OpenAiStreamBuilder::events(bool done) const
{
    QList<QByteArray> out;
    for (const QByteArray &payload : m_payloads)
        out.append("data: " + payload + "\n\n");
    if (done)
        out.append("data: [DONE]\n\n");
    return out;
}

QByteArray OpenAiStreamBuilder::stream(bool done) const
{
    return events(done).join();
}

QList<MockUpstream::Chunk> OpenAiStreamBuilder::splitAwkwardly(const QByteArray &stream)
{
    // Cut after every byte that starts a multi-byte character or an escape, and every 7
    // bytes otherwise: each event and each character lands in more than one read.
    QList<MockUpstream::Chunk> chunks;
    qsizetype from = 0;
    for (qsizetype i = 0; i < stream.size(); ++i) {
        const uchar c = uchar(stream.at(i));
        const bool awkward = c >= 0xc0 || c == '\\' || (i - from) >= 7;
        if (awkward) {
            chunks.append({stream.mid(from, i + 1 - from), 0});
            from = i + 1;
        }
    }
    if (from < stream.size())
        chunks.append({stream.mid(from), 0});
    return chunks;
}

MockUpstream::Script OpenAiStreamBuilder::script(bool awkward, bool done) const
{
    MockUpstream::Script script;
    script.headers = {{"Content-Type", "text/event-stream; charset=utf-8"}, MockResponder::openAiRequestId()};
    if (awkward) {
        script.chunks = splitAwkwardly(stream(done));
    } else {
        for (const QByteArray &event : events(done))
            script.chunks.append({event, 0});
    }
    return script;
}

} // namespace sy::testsupport
