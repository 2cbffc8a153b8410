// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

#include <QTcpServer>
#include <QTimer>

class QSocketNotifier;

#include "httpworker.h"

class QThread;

namespace sy::http {

// Accepts connections and deals them out to worker threads, one event loop per core.
// Nothing of a request runs on the thread that owns the server. Out of file descriptors,
// it stops accepting for a moment instead of spinning on accept(): the waiting clients
// stay in the (enlarged) listen backlog until descriptors free up.
class HttpServer final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    HttpServer(HttpWorker::HandlerFactory factory, HttpConnection::Limits limits, int threads,
               QObject *parent = nullptr);
    ~HttpServer() override;

    // QTcpServer's, with our own accept loop on the listening socket: Qt 6.4 retries a
    // failing accept() at once in some cases (EMFILE seen as temporary), spinning a core.
    bool listen(const QHostAddress &address, quint16 port);
    void close();

    // Stops accepting, lets in-flight requests finish for up to graceMs, then cuts the
    // rest. Emits stopped() when every worker is idle.
    void shutdown(int graceMs);

    // Raises the soft limit on open files to the hard limit (once per process): every
    // client connection and upstream connection is a descriptor. Returns the limit in force.
    static qint64 raiseFileLimit();

    static constexpr int kListenBacklog = 1024; // Qt's default is 50; the kernel caps it at somaxconn
    static constexpr int kMinAcceptPauseMs = 50;
    static constexpr int kMaxAcceptPauseMs = 500;

signals:
    void stopped();

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void onWorkerDrained();
    void onReadable();
    void onAcceptFailed(int error);
    void onResumeAccepting();
    void stopThreads();

    std::vector<QThread *> m_threads;
    std::vector<HttpWorker *> m_workers;
    size_t m_next = 0;
    QSocketNotifier *m_notifier = nullptr;
    QTimer m_acceptPause;
    int m_acceptPauseMs = kMinAcceptPauseMs;
    qint64 m_acceptFailures = 0; // in the current run of failures
    int m_drainedWorkers = 0;
    bool m_shuttingDown = false;
    bool m_stopped = false;
};

} // namespace sy::http
