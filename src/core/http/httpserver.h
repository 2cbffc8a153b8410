// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

#include <QTcpServer>

#include "httpworker.h"

class QThread;

namespace sy::http {

// Accepts connections and deals them out to worker threads, one event loop per core.
// Nothing of a request runs on the thread that owns the server.
class HttpServer final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    HttpServer(HttpWorker::HandlerFactory factory, HttpConnection::Limits limits, int threads,
               QObject *parent = nullptr);
    ~HttpServer() override;

    // Stops accepting, lets in-flight requests finish for up to graceMs, then cuts the
    // rest. Emits stopped() when every worker is idle.
    void shutdown(int graceMs);

signals:
    void stopped();

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void onWorkerDrained();
    void stopThreads();

    std::vector<QThread *> m_threads;
    std::vector<HttpWorker *> m_workers;
    size_t m_next = 0;
    int m_drainedWorkers = 0;
    bool m_shuttingDown = false;
    bool m_stopped = false;
};

} // namespace sy::http
