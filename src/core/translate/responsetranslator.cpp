// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "responsetranslator.h"

#include "providers/jsonscanner.h"
#include "translate/chatcompletiontomessage.h"
#include "translate/errortranslator.h"

namespace sy::translate {

namespace {

QByteArray apiError(QByteArrayView message)
{
    QByteArray body = R"({"type":"error","error":{"type":"api_error","message":)";
    providers::JsonScanner::appendQuoted(body, message);
    body += "}}";
    return body;
}

} // namespace

ResponseTranslator::ResponseTranslator(std::shared_ptr<const Translation> translation, int upstreamStatus,
                                       const http::HeaderList &upstreamHeaders)
    : m_translation(std::move(translation)), m_upstreamStatus(upstreamStatus), m_status(upstreamStatus)
{
    const bool success = upstreamStatus >= 200 && upstreamStatus < 300;
    const bool eventStream = http::headerValue(upstreamHeaders, "content-type").startsWith("text/event-stream");
    if (success && eventStream)
        m_stream.emplace(m_translation);
    for (const http::Header &header : upstreamHeaders) {
        if (http::isHopByHop(header.name) || http::sameHeaderName(header.name, "content-type")
            || http::sameHeaderName(header.name, "content-encoding"))
            continue;
        m_headers.append(header);
    }
    if (m_stream) {
        m_headers.append(http::Header {"Content-Type", "text/event-stream; charset=utf-8"});
        m_headers.append(http::Header {"Cache-Control", "no-cache"});
    } else {
        m_headers.append(http::Header {"Content-Type", "application/json"});
    }
}

ResponseTranslator::~ResponseTranslator() = default;

http::HeaderList ResponseTranslator::headers() const
{
    return m_headers;
}

void ResponseTranslator::feed(QByteArrayView data, QByteArray &out)
{
    if (m_stream) {
        m_stream->feed(data, out);
        return;
    }
    if (m_overflow || m_body.size() + data.size() > kMaxBufferedBytes) {
        m_overflow = true;
        m_body.clear();
        return;
    }
    m_body.append(data);
}

bool ResponseTranslator::finish(QByteArray &out)
{
    if (m_stream)
        return m_stream->finish(out);
    if (m_overflow) {
        m_status = 502;
        out = apiError("the provider's answer is larger than the gateway translates");
        return false;
    }
    if (m_upstreamStatus >= 200 && m_upstreamStatus < 300) {
        Result<QByteArray> message = ChatCompletionToMessage::map(m_body, *m_translation);
        if (!message) {
            m_status = 502;
            out = apiError(message.error().toUtf8());
            return false;
        }
        out = std::move(message).value();
        return true;
    }
    const ErrorTranslator::Answer answer = ErrorTranslator::toAnthropic(m_upstreamStatus, m_body);
    m_status = answer.status;
    out = answer.body;
    return true;
}

void ResponseTranslator::fail(QByteArray &out)
{
    if (m_stream)
        m_stream->fail(out, u"the connection to the provider broke off mid-answer");
}

} // namespace sy::translate
