// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>

#include <QList>
#include <QObject>
#include <QTimer>

#include "mockupstream.h"

struct http_parser;
class QTcpSocket;

namespace sy::testsupport {

// One accepted connection of MockUpstream: parses requests with http_parser (keep-alive,
// pipelining: requests queue and are answered in order), hands each to the upstream and
// plays back the answer it gets as a list of timed steps (write, close, reset).
class MockConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MockConnection)

public:
    using RequestHandler = std::function<void(MockConnection *, const MockUpstream::ReceivedRequest &)>;
    using ClosedHandler = std::function<void(MockConnection *)>;

    MockConnection(QTcpSocket *socket, int id, QObject *parent = nullptr);
    ~MockConnection() override;

    void setHandlers(RequestHandler onRequest, ClosedHandler onClosed);
    int id() const { return m_id; }
    qint64 unsentBytes() const;
    void abort();

    // Answers the request most recently handed to the request handler.
    void respond(const MockUpstream::Script &script);

    // The parser's callbacks (C function pointers) land here.
    int onUrl(const char *at, size_t length);
    int onHeaderField(const char *at, size_t length);
    int onHeaderValue(const char *at, size_t length);
    int onHeadersComplete();
    int onBody(const char *at, size_t length);
    int onMessageComplete();

private:
    struct Step
    {
        enum Kind { Write, Close, Reset, Finish };
        Kind kind = Write;
        int delayMs = 0;
        QByteArray bytes;
    };
    struct Pending
    {
        MockUpstream::ReceivedRequest request;
        bool keepAlive = true;
    };

    void onReadyRead();
    void onDisconnected();
    void processNext();
    void advance();
    QList<Step> compile(const MockUpstream::Script &script, bool keepAlive) const;
    void resetConnection();

    QTcpSocket *m_socket = nullptr;
    int m_id = 0;
    std::unique_ptr<http_parser> m_parser;
    RequestHandler m_onRequest;
    ClosedHandler m_onClosed;

    MockUpstream::ReceivedRequest m_current; // being parsed
    bool m_lastWasValue = false;
    QList<Pending> m_pending; // parsed, not yet answered
    bool m_busy = false; // an answer is being played back
    bool m_currentKeepAlive = true;
    bool m_closing = false;

    QList<Step> m_steps;
    qsizetype m_next = 0;
    bool m_waited = false;
    QTimer m_timer;
};

} // namespace sy::testsupport
