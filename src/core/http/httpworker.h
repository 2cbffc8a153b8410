// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>

#include <QObject>
#include <QSet>

#include "httpconnection.h"

namespace sy::http {

class RequestHandler;

// The event loop of one gateway thread: owns that thread's connections and its request
// handler. A request and its upstream call live on one worker from start to end.
class HttpWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpWorker)

public:
    using HandlerFactory = std::function<std::unique_ptr<RequestHandler>()>;

    HttpWorker(HandlerFactory factory, HttpConnection::Limits limits);
    ~HttpWorker() override;

    // All run on the worker's thread (call through a queued invocation).
    void adopt(qintptr socketDescriptor);
    void drain(); // finish in-flight responses, close idle connections; then drained()
    void abortAll(); // grace period over: cut what is left

signals:
    void drained();

private:
    void onConnectionClosed(HttpConnection *connection);
    void emitDrainedOnce();

    HandlerFactory m_factory;
    std::unique_ptr<RequestHandler> m_handler; // created lazily on the worker's thread
    HttpConnection::Limits m_limits;
    QSet<HttpConnection *> m_connections;
    bool m_draining = false;
    bool m_drainedEmitted = false;
};

} // namespace sy::http
