// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "httpconnection.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include <QTcpSocket>
#include <QTimerEvent>

#include "httpexchange.h"
#include "httplog.h"
#include "requesthandler.h"

namespace sy::http {

namespace {

// How long a connection closed for a timeout may take to hand its last bytes over.
constexpr int kLingerMs = 5'000;

qint64 nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, RequestHandler &handler, Limits limits, QObject *parent)
    : QObject(parent), m_socket(socket), m_handler(handler), m_parser(limits.maxBodyBytes, limits.maxHeaderBytes),
      m_limits(limits)
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            qCDebug(lcHttp) << "client socket error" << error;
        onDisconnected();
    });
    // The first request head is due from the accept on: a client that connects and says
    // nothing is closed like one that sends its head a byte at a time.
    setDeadline(Phase::Head, nowMs(), m_limits.headerTimeoutMs);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::closeWhenIdle()
{
    m_closeWhenIdle = true;
    if (!m_current)
        abortConnection();
}

void HttpConnection::onReadyRead()
{
    if (m_current || m_closing)
        return; // the current exchange first; pipelined bytes wait in the socket
    processInput();
}

void HttpConnection::processInput()
{
    while (!m_current && !m_closing) {
        if (m_input.isEmpty())
            m_input = m_socket->readAll();
        if (m_input.isEmpty())
            return;
        const qsizetype consumed = m_parser.feed(m_input);
        m_input.remove(0, consumed);
        const bool handOver = m_parser.error() != RequestError::None || m_parser.messageComplete();
        if (handOver) {
            m_phase = Phase::Busy;
            m_partial = false;
        } else if (consumed > 0) {
            // A request arrives in pieces: the head within its timeout from its first
            // byte, the body with no long silence between reads.
            const qint64 now = nowMs();
            if (m_parser.headersComplete())
                setDeadline(Phase::Body, now, m_limits.bodyTimeoutMs);
            else if (m_phase != Phase::Head || !m_partial)
                setDeadline(Phase::Head, now, m_limits.headerTimeoutMs);
            m_partial = true;
        }
        if (m_parser.headersComplete() && m_parser.expectsContinue() && m_parser.error() == RequestError::None
            && !m_parser.messageComplete() && consumed > 0 && m_input.isEmpty()) {
            writeRaw("HTTP/1.1 100 Continue\r\n\r\n");
            flush();
        }
        if (handOver) {
            m_input.squeeze();
            m_current = new HttpExchange(m_parser.takeRequest(), this);
            m_handler.handle(m_current);
            return;
        }
        if (consumed == 0 && !m_input.isEmpty())
            return; // cannot happen with a healthy parser; avoid spinning
    }
}

void HttpConnection::exchangeFinished(bool closeConnection)
{
    HttpExchange *finished = m_current;
    m_current = nullptr;
    if (finished)
        finished->deleteLater();
    if (closeConnection || m_closeWhenIdle || m_closing) {
        m_closing = true;
        setDeadline(Phase::Idle, nowMs(), kLingerMs); // a client that never takes the last bytes
        m_socket->disconnectFromHost(); // after the queued bytes are sent
        finishIfDone();
        return;
    }
    setDeadline(Phase::Idle, nowMs(), m_limits.idleTimeoutMs);
    // Pipelined requests may already be waiting; never recurse into the handler.
    QMetaObject::invokeMethod(this, &HttpConnection::processInput, Qt::QueuedConnection);
}

void HttpConnection::writeRaw(QByteArrayView data)
{
    m_socket->write(data.data(), data.size());
}

void HttpConnection::flush()
{
    m_socket->flush();
    if (!m_aboveHighWater && m_socket->bytesToWrite() > HttpExchange::kHighWaterBytes) {
        m_aboveHighWater = true;
        // A client that stops reading its response is given the body timeout too.
        setDeadline(m_phase, nowMs(), m_limits.bodyTimeoutMs);
    }
}

qint64 HttpConnection::pendingBytes() const
{
    return m_socket->bytesToWrite();
}

QString HttpConnection::peerAddress() const
{
    return m_socket->peerAddress().toString();
}

void HttpConnection::onBytesWritten()
{
    if (m_aboveHighWater)
        m_deadline = nowMs() + m_limits.bodyTimeoutMs; // the client is reading: not stuck
    if (m_aboveHighWater && m_socket->bytesToWrite() <= HttpExchange::kHighWaterBytes / 4) {
        m_aboveHighWater = false;
        if (m_current)
            emit m_current->drained();
    }
}

void HttpConnection::abortConnection()
{
    m_closing = true;
    m_socket->abort();
    onDisconnected();
}

void HttpConnection::onDisconnected()
{
    m_closing = true;
    if (m_current && !m_current->isFinished())
        m_current->markClientGone(); // the handler aborts its upstream call and ends the exchange
    finishIfDone();
}

void HttpConnection::finishIfDone()
{
    if (m_done || m_socket->state() != QAbstractSocket::UnconnectedState || (m_current && !m_current->isFinished()))
        return;
    m_done = true;
    emit closed();
    deleteLater();
}

void HttpConnection::setDeadline(Phase phase, qint64 now, int timeoutMs)
{
    m_phase = phase;
    m_deadline = now + timeoutMs;
    if (!m_timer.isActive() || m_fireAt > m_deadline)
        armTimer(now, m_deadline);
}

void HttpConnection::armTimer(qint64 now, qint64 fireAt)
{
    m_fireAt = fireAt;
    m_timer.start(int(std::clamp<qint64>(fireAt - now, 0, std::numeric_limits<int>::max())), Qt::CoarseTimer, this);
}

void HttpConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    const qint64 now = nowMs();
    const bool watching = m_phase != Phase::Busy || m_aboveHighWater || m_closing;
    if (!watching) {
        // A request in progress: nothing to time here, only a look now and then (the
        // timer stays armed so that the next idle phase needs no new one).
        armTimer(now, now + m_limits.idleTimeoutMs);
        return;
    }
    if (now < m_deadline) {
        armTimer(now, m_deadline); // moved on since the timer was armed
        return;
    }
    m_timer.stop();
    onTimedOut(now);
}

void HttpConnection::onTimedOut(qint64 now)
{
    if (m_closing || m_phase == Phase::Busy) {
        // Closing and the client never took the last bytes, or it stopped reading a response.
        qCDebug(lcHttp) << "client stopped reading: connection cut";
        abortConnection();
        return;
    }
    switch (m_phase) {
    case Phase::Idle:
        qCDebug(lcHttp) << "keep-alive connection idle for" << m_limits.idleTimeoutMs << "ms: closed";
        break;
    case Phase::Head:
        qCDebug(lcHttp) << "request head not complete in" << m_limits.headerTimeoutMs << "ms: closed";
        break;
    case Phase::Body:
        qCDebug(lcHttp) << "request body silent for" << m_limits.bodyTimeoutMs << "ms: closed";
        break;
    case Phase::Busy:
        break;
    }
    if (m_partial) {
        // Half a request: say why it goes unanswered. Nothing else was written on it yet.
        writeRaw("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        flush();
    }
    m_closing = true;
    setDeadline(Phase::Idle, now, kLingerMs);
    m_socket->disconnectFromHost();
    finishIfDone();
}

} // namespace sy::http
