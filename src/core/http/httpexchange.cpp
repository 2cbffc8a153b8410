// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "httpexchange.h"

#include "httpconnection.h"

namespace sy::http {

QByteArrayView reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 529:
        return "Overloaded";
    default:
        return "Status";
    }
}

namespace {

QByteArray statusHead(int status, const HeaderList &headers, qint64 contentLength, bool close)
{
    QByteArray head;
    head.reserve(256);
    head += "HTTP/1.1 ";
    head += QByteArray::number(status);
    head += ' ';
    head += reasonPhrase(status);
    head += "\r\n";
    for (const Header &header : headers) {
        head += header.name;
        head += ": ";
        head += header.value;
        head += "\r\n";
    }
    if (contentLength >= 0) {
        head += "Content-Length: ";
        head += QByteArray::number(contentLength);
        head += "\r\n";
    } else {
        head += "Transfer-Encoding: chunked\r\n";
    }
    if (close)
        head += "Connection: close\r\n";
    head += "\r\n";
    return head;
}

} // namespace

HttpExchange::HttpExchange(HttpRequest request, HttpConnection *connection)
    : QObject(connection), m_request(std::move(request)), m_connection(connection)
{
    // Errors in reading the request leave the stream in an unknown state: close after.
    m_closeAfter = !m_request.keepAlive || m_request.error != RequestError::None;
}

void HttpExchange::respond(int status, const HeaderList &headers, QByteArrayView body)
{
    if (m_begun || m_finished)
        return;
    m_begun = true;
    if (m_connection && !m_clientGone) {
        QByteArray message = statusHead(status, headers, body.size(), m_closeAfter || m_connection->m_closeWhenIdle);
        message += body;
        m_connection->writeRaw(message);
        m_connection->flush();
    }
    end();
}

void HttpExchange::beginResponse(int status, const HeaderList &headers, qint64 contentLength)
{
    if (m_begun || m_finished)
        return;
    m_begun = true;
    m_chunked = contentLength < 0;
    // Not flushed here: the first body bytes (usually from the same upstream read) go out
    // in the same write, one segment and one wakeup for the client instead of two. Qt's
    // socket sends what is buffered on the next event loop turn if nothing follows.
    if (m_connection && !m_clientGone)
        m_connection->writeRaw(
            statusHead(status, headers, contentLength, m_closeAfter || m_connection->m_closeWhenIdle));
}

void HttpExchange::write(QByteArrayView data)
{
    if (!m_begun || m_finished || m_clientGone || !m_connection || data.isEmpty())
        return;
    if (m_chunked) {
        char size[24];
        const int n = std::snprintf(size, sizeof size, "%llx\r\n", static_cast<unsigned long long>(data.size()));
        m_connection->writeRaw(QByteArrayView(size, n));
        m_connection->writeRaw(data);
        m_connection->writeRaw("\r\n");
    } else {
        m_connection->writeRaw(data);
    }
    m_connection->flush();
}

void HttpExchange::end()
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_connection)
        return;
    if (m_chunked && !m_clientGone) {
        m_connection->writeRaw("0\r\n\r\n");
        m_connection->flush();
    }
    m_connection->exchangeFinished(m_closeAfter);
}

void HttpExchange::abort()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_connection)
        m_connection->abortConnection();
}

qint64 HttpExchange::pendingBytes() const
{
    return m_connection ? m_connection->pendingBytes() : 0;
}

QString HttpExchange::peerAddress() const
{
    return m_connection ? m_connection->peerAddress() : QString();
}

void HttpExchange::markClientGone()
{
    if (m_clientGone || m_finished)
        return;
    m_clientGone = true;
    emit clientGone();
}

} // namespace sy::http
