// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "requestparser.h"

#include <http_parser.h>

#include <mutex>

namespace sy::http {

struct ParserCallbacks
{
    static RequestParser *self(http_parser *parser) { return static_cast<RequestParser *>(parser->data); }

    // Header bytes count against the limit as they arrive, so an endless header is cut
    // off at the limit instead of filling memory.
    static bool countHeaderBytes(RequestParser *p, size_t length)
    {
        p->m_headerBytes += qint64(length);
        if (p->m_headerBytes > p->m_maxHeaderBytes) {
            p->fail(RequestError::HeadersTooLarge);
            return false;
        }
        return true;
    }

    static int onUrl(http_parser *parser, const char *at, size_t length)
    {
        RequestParser *p = self(parser);
        if (!countHeaderBytes(p, length))
            return 0;
        p->m_url.append(at, qsizetype(length));
        return 0;
    }

    static int onHeaderField(http_parser *parser, const char *at, size_t length)
    {
        RequestParser *p = self(parser);
        if (!countHeaderBytes(p, length))
            return 0;
        p->m_headers.addFieldPart(QByteArrayView(at, qsizetype(length)));
        return 0;
    }

    static int onHeaderValue(http_parser *parser, const char *at, size_t length)
    {
        RequestParser *p = self(parser);
        if (!countHeaderBytes(p, length))
            return 0;
        p->m_headers.addValuePart(QByteArrayView(at, qsizetype(length)));
        return 0;
    }

    static int onHeadersComplete(http_parser *parser)
    {
        RequestParser *p = self(parser);
        HttpRequest &request = p->m_request;
        request.headers = p->m_headers.take();
        request.method = http_method_str(http_method(parser->method));
        request.keepAlive = http_should_keep_alive(parser) != 0;
        request.target = p->m_url;
        http_parser_url url;
        http_parser_url_init(&url);
        if (http_parser_parse_url(p->m_url.constData(), size_t(p->m_url.size()), 0, &url) != 0) {
            p->fail(RequestError::Malformed);
            return 0;
        }
        auto field = [&](int which) {
            return (url.field_set & (1 << which)) ? p->m_url.mid(url.field_data[which].off, url.field_data[which].len)
                                                  : QByteArray();
        };
        request.path = field(UF_PATH);
        request.query = field(UF_QUERY);
        if (request.path.isEmpty())
            request.path = QByteArrayLiteral("/");
        if (parser->content_length != ULLONG_MAX && parser->content_length > quint64(p->m_maxBodyBytes)) {
            p->fail(RequestError::BodyTooLarge);
            return 0;
        }
        if (parser->content_length != ULLONG_MAX && parser->content_length > 0)
            request.body.reserve(qsizetype(parser->content_length));
        p->m_expectContinue = request.header("expect").compare("100-continue", Qt::CaseInsensitive) == 0;
        p->m_headersComplete = true;
        return 0;
    }

    static int onBody(http_parser *parser, const char *at, size_t length)
    {
        RequestParser *p = self(parser);
        if (p->m_request.body.size() + qint64(length) > p->m_maxBodyBytes) {
            p->fail(RequestError::BodyTooLarge);
            return 0;
        }
        p->m_request.body.append(at, qsizetype(length));
        return 0;
    }

    static int onMessageComplete(http_parser *parser)
    {
        RequestParser *p = self(parser);
        p->m_messageComplete = true;
        http_parser_pause(parser, 1); // one request at a time: pipelined ones wait their turn
        return 0;
    }

    static const http_parser_settings &settings()
    {
        static const http_parser_settings s = [] {
            http_parser_settings settings;
            http_parser_settings_init(&settings);
            settings.on_url = onUrl;
            settings.on_header_field = onHeaderField;
            settings.on_header_value = onHeaderValue;
            settings.on_headers_complete = onHeadersComplete;
            settings.on_body = onBody;
            settings.on_message_complete = onMessageComplete;
            return settings;
        }();
        return s;
    }
};

RequestParser::RequestParser(qint64 maxBodyBytes, int maxHeaderBytes)
    : m_parser(std::make_unique<http_parser>()), m_maxBodyBytes(maxBodyBytes), m_maxHeaderBytes(maxHeaderBytes)
{
    // http_parser's own header limit is process-wide; keep it above every configured limit
    // so that ours answers first, with a 431.
    static std::once_flag once;
    std::call_once(once, [] { http_parser_set_max_header_size(2 * 1024 * 1024); });
    http_parser_init(m_parser.get(), HTTP_REQUEST);
    m_parser->data = this;
}

RequestParser::~RequestParser() = default;

void RequestParser::fail(RequestError error)
{
    if (m_request.error == RequestError::None)
        m_request.error = error;
    // The error answer uses the caller's wire format, which the path tells.
    if (m_request.path.isEmpty() && m_url.startsWith('/')) {
        const qsizetype query = m_url.indexOf('?');
        m_request.path = query < 0 ? m_url : m_url.first(query);
    }
    http_parser_pause(m_parser.get(), 1);
}

qsizetype RequestParser::feed(QByteArrayView data)
{
    if (m_request.error != RequestError::None || m_messageComplete)
        return 0;
    const size_t consumed
        = http_parser_execute(m_parser.get(), &ParserCallbacks::settings(), data.data(), size_t(data.size()));
    const auto errno_ = HTTP_PARSER_ERRNO(m_parser.get());
    if (errno_ != HPE_OK && errno_ != HPE_PAUSED && m_request.error == RequestError::None)
        m_request.error = errno_ == HPE_HEADER_OVERFLOW ? RequestError::HeadersTooLarge : RequestError::Malformed;
    return qsizetype(consumed);
}

HttpRequest RequestParser::takeRequest()
{
    if (!m_headersComplete) // a request refused mid-head keeps what arrived (its error format may depend on it)
        m_request.headers = m_headers.take();
    HttpRequest request = std::move(m_request);
    m_request = HttpRequest();
    m_url.clear();
    m_headerBytes = 0;
    m_headers.clear();
    m_headersComplete = false;
    m_messageComplete = false;
    m_expectContinue = false;
    // After a parse error the connection closes; only a paused parser carries on.
    if (HTTP_PARSER_ERRNO(m_parser.get()) == HPE_PAUSED)
        http_parser_pause(m_parser.get(), 0);
    return request;
}

} // namespace sy::http
