// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "upstreamcall.h"

#include <chrono>

#include "upstreampool.h"

namespace sy::upstream {

namespace {

qint64 nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace

UpstreamCall::UpstreamCall(UpstreamPool &pool, UpstreamRequest request, QObject *parent)
    : QObject(parent), m_pool(pool), m_request(std::move(request))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &UpstreamCall::onTimeout);

    const bool defaultPort = m_request.origin.port == (m_request.origin.tls ? 443 : 80);
    m_head.reserve(256 + m_request.target.size());
    m_head += m_request.method;
    m_head += ' ';
    m_head += m_request.target;
    m_head += " HTTP/1.1\r\nHost: ";
    m_head += m_request.origin.host.toUtf8();
    if (!defaultPort) {
        m_head += ':';
        m_head += QByteArray::number(m_request.origin.port);
    }
    m_head += "\r\n";
    for (const http::Header &header : std::as_const(m_request.headers)) {
        m_head += header.name;
        m_head += ": ";
        m_head += header.value;
        m_head += "\r\n";
    }
    if (!m_request.body.isEmpty() || m_request.method == "POST" || m_request.method == "PUT") {
        m_head += "Content-Length: ";
        m_head += QByteArray::number(m_request.body.size());
        m_head += "\r\n";
    }
    m_head += "\r\n";
}

UpstreamCall::~UpstreamCall()
{
    abort();
}

void UpstreamCall::start()
{
    m_connection = m_pool.acquire(m_request.origin, &m_reused);
    m_connected = m_reused;
    m_timer.start(m_reused ? m_request.firstByteTimeoutMs : m_request.connectTimeoutMs);
    send();
}

void UpstreamCall::send()
{
    m_connection->send(m_head, m_request.body, this);
}

void UpstreamCall::abort()
{
    m_done = true;
    m_timer.stop();
    if (m_connection) {
        m_connection->detach();
        m_pool.release(m_connection);
        m_connection = nullptr;
    }
}

void UpstreamCall::setReadPaused(bool paused)
{
    // Silence while the client holds the stream back is not the upstream's.
    if (m_paused && !paused)
        m_lastBytesMs = nowMs();
    m_paused = paused;
    if (m_connection)
        m_connection->setReadPaused(paused);
}

void UpstreamCall::onConnected()
{
    m_connected = true;
    m_timer.start(m_request.firstByteTimeoutMs);
}

void UpstreamCall::onResponseHead(int status, http::HeaderList &headers, qint64 contentLength)
{
    // From here on, silence between reads: one timer for the whole response, moved on
    // lazily (a read only notes the time; the timer looks when it fires).
    m_started = true;
    m_lastBytesMs = nowMs();
    m_timer.start(m_request.idleTimeoutMs);
    emit responseStarted(status, headers, contentLength);
}

void UpstreamCall::onResponseBody(QByteArrayView data)
{
    if (m_done)
        return;
    m_lastBytesMs = nowMs();
    emit bodyReceived(data);
}

void UpstreamCall::onResponseComplete()
{
    if (m_done)
        return;
    m_done = true;
    m_timer.stop();
    releaseConnection();
    emit finished();
}

void UpstreamCall::onConnectionError(UpstreamError error)
{
    if (m_done)
        return;
    // A pooled connection the server had already closed: one retry on a fresh one.
    if (m_reused && !m_retried && !m_started && m_connection && !m_connection->hasReceivedBytes()
        && error == UpstreamError::ConnectionLost) {
        m_retried = true;
        releaseConnection();
        start();
        return;
    }
    if (!m_connected && error == UpstreamError::ConnectionLost)
        error = UpstreamError::ConnectFailed;
    m_done = true;
    m_error = error;
    m_timer.stop();
    releaseConnection();
    emit failed(error, m_started);
}

void UpstreamCall::onTimeout()
{
    if (m_done)
        return;
    if (m_started) {
        const qint64 silentMs = nowMs() - m_lastBytesMs;
        if (m_paused || silentMs < m_request.idleTimeoutMs) {
            m_timer.start(m_paused ? m_request.idleTimeoutMs : int(m_request.idleTimeoutMs - silentMs));
            return;
        }
    }
    m_done = true;
    m_error = m_started ? UpstreamError::IdleTimeout
        : m_connected   ? UpstreamError::FirstByteTimeout
                        : UpstreamError::ConnectTimeout;
    if (m_connection) {
        m_connection->detach();
        releaseConnection();
    }
    emit failed(m_error, m_started);
}

void UpstreamCall::releaseConnection()
{
    if (m_connection) {
        m_pool.release(m_connection);
        m_connection = nullptr;
    }
}

} // namespace sy::upstream
