// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QBasicTimer>
#include <QByteArray>
#include <QObject>

#include "requestparser.h"

class QTcpSocket;

namespace sy::http {

class HttpExchange;
class RequestHandler;

// One client connection: reads requests, hands them to the handler one at a time
// (pipelined requests are answered in order), writes responses, keeps the connection
// alive between requests. A client that takes too long to send a request head, goes
// quiet in the middle of a body, or idles between requests is closed (slow or silent
// clients must not hold descriptors forever).
class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    struct Limits
    {
        qint64 maxBodyBytes;
        int maxHeaderBytes;
        int headerTimeoutMs = 30'000; // the whole request head, from its first byte (or the accept)
        int bodyTimeoutMs = 60'000; // between two reads of a request body
        int idleTimeoutMs = 120'000; // between requests on a kept-alive connection
    };

    HttpConnection(QTcpSocket *socket, RequestHandler &handler, Limits limits, QObject *parent = nullptr);
    ~HttpConnection() override;

    // Finish the current response (if any), then close: for shutdown.
    void closeWhenIdle();
    // Close now; a response in progress is cut off.
    void abortConnection();

signals:
    void closed();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    // What the connection waits for; each phase has its own deadline. Busy (a request
    // handed to the handler) has none: the upstream call has its own timeouts.
    enum class Phase : quint8 { Head, Body, Busy, Idle };
    friend class HttpExchange;
    void onReadyRead();
    void onBytesWritten();
    void onDisconnected();
    void processInput();
    void exchangeFinished(bool closeConnection);
    void writeRaw(QByteArrayView data);
    void flush();
    qint64 pendingBytes() const;
    QString peerAddress() const;
    void finishIfDone();
    void setDeadline(Phase phase, qint64 now, int timeoutMs);
    void armTimer(qint64 now, qint64 fireAt);
    void onTimedOut(qint64 now);

    QTcpSocket *m_socket;
    RequestHandler &m_handler;
    RequestParser m_parser;
    QByteArray m_input;
    HttpExchange *m_current = nullptr;
    Limits m_limits;
    // One timer per connection, re-armed only when a deadline comes earlier than it fires:
    // the request path moves m_deadline, which costs a clock read, not a timer.
    QBasicTimer m_timer;
    qint64 m_deadline = 0; // ms on the monotonic clock
    qint64 m_fireAt = 0;
    Phase m_phase = Phase::Head;
    bool m_partial = false; // bytes of a request arrived, not all of it
    bool m_closing = false;
    bool m_closeWhenIdle = false;
    bool m_aboveHighWater = false;
    bool m_done = false;
};

} // namespace sy::http
