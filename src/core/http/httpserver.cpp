// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "httpserver.h"

#include <sys/resource.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <QSocketNotifier>
#include <QThread>

#include "httplog.h"

namespace sy::http {

qint64 HttpServer::raiseFileLimit()
{
    static qint64 limit = [] {
        rlimit rl {};
        if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
            return qint64(-1);
        // The kernel refuses more than fs.nr_open (1,048,576 by default), infinity included.
        constexpr rlim_t kCeiling = 1 << 20;
        const rlim_t target = rl.rlim_max == RLIM_INFINITY ? kCeiling : std::min(rl.rlim_max, kCeiling);
        if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < target) {
            const rlim_t before = rl.rlim_cur;
            rl.rlim_cur = target;
            if (setrlimit(RLIMIT_NOFILE, &rl) == 0) {
                qCInfo(lcHttp) << "raised the open file limit from" << qint64(before) << "to" << qint64(target);
                return qint64(target);
            }
            qCWarning(lcHttp) << "could not raise the open file limit from" << qint64(before);
            return qint64(before);
        }
        return rl.rlim_cur == RLIM_INFINITY ? qint64(kCeiling) : qint64(rl.rlim_cur);
    }();
    return limit;
}

HttpServer::HttpServer(HttpWorker::HandlerFactory factory, HttpConnection::Limits limits, int threads, QObject *parent)
    : QTcpServer(parent)
{
    raiseFileLimit();
    setListenBacklogSize(kListenBacklog);
    m_acceptPause.setSingleShot(true);
    connect(&m_acceptPause, &QTimer::timeout, this, &HttpServer::onResumeAccepting);
    threads = std::max(1, threads > 0 ? threads : QThread::idealThreadCount());
    for (int i = 0; i < threads; ++i) {
        auto *thread = new QThread(this);
        thread->setObjectName(QStringLiteral("gateway-%1").arg(i));
        auto *worker = new HttpWorker(factory, limits);
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        connect(worker, &HttpWorker::drained, this, &HttpServer::onWorkerDrained);
        thread->start();
        m_threads.push_back(thread);
        m_workers.push_back(worker);
    }
}

HttpServer::~HttpServer()
{
    close();
    stopThreads();
}

void HttpServer::incomingConnection(qintptr socketDescriptor)
{
    if (m_acceptFailures > 0) {
        qCInfo(lcHttp) << "accepting connections again after" << m_acceptFailures << "failed accepts";
        m_acceptFailures = 0;
        m_acceptPauseMs = kMinAcceptPauseMs;
    }
    HttpWorker *worker = m_workers[m_next];
    m_next = (m_next + 1) % m_workers.size();
    QMetaObject::invokeMethod(
        worker, [worker, socketDescriptor] { worker->adopt(socketDescriptor); }, Qt::QueuedConnection);
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (!QTcpServer::listen(address, port))
        return false;
    QTcpServer::pauseAccepting(); // Qt's notifier stays off; ours does the accepting
    m_notifier = new QSocketNotifier(socketDescriptor(), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &HttpServer::onReadable);
    return true;
}

void HttpServer::close()
{
    m_acceptPause.stop();
    delete m_notifier; // before the descriptor goes
    m_notifier = nullptr;
    QTcpServer::close();
}

void HttpServer::onReadable()
{
    // Everyone waiting, in one go; the kernel says when no one is left.
    for (;;) {
        const int fd = ::accept4(int(socketDescriptor()), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            incomingConnection(fd);
            continue;
        }
        const int error = errno;
        if (error == EINTR || error == ECONNABORTED || error == EPROTO)
            continue; // that client is gone; the next one may be fine
        if (error != EAGAIN && error != EWOULDBLOCK)
            onAcceptFailed(error);
        return;
    }
}

void HttpServer::onAcceptFailed(int error)
{
    // Out of descriptors (EMFILE, ENFILE) or memory: accept() fails at once again as long
    // as a connection waits, so trying again now would spin. Pause, and try again later
    // with a growing pause; the clients wait in the backlog meanwhile.
    m_notifier->setEnabled(false);
    if (m_acceptFailures++ == 0) {
        rlimit rl {};
        getrlimit(RLIMIT_NOFILE, &rl);
        qCWarning(lcHttp).noquote() << "cannot accept connections (" << QString::fromLocal8Bit(std::strerror(error))
                                    << "): pausing; open file limit" << qint64(rl.rlim_cur);
    }
    if (!m_shuttingDown)
        m_acceptPause.start(m_acceptPauseMs);
    m_acceptPauseMs = std::min(m_acceptPauseMs * 2, kMaxAcceptPauseMs);
}

void HttpServer::onResumeAccepting()
{
    if (!m_shuttingDown && m_notifier)
        m_notifier->setEnabled(true); // a client still waiting makes it fire at once
}

void HttpServer::shutdown(int graceMs)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    m_acceptPause.stop();
    close();
    for (HttpWorker *worker : m_workers)
        QMetaObject::invokeMethod(worker, &HttpWorker::drain, Qt::QueuedConnection);
    QTimer::singleShot(graceMs, this, [this] {
        if (m_stopped)
            return;
        for (HttpWorker *worker : m_workers)
            QMetaObject::invokeMethod(worker, &HttpWorker::abortAll, Qt::QueuedConnection);
    });
}

void HttpServer::onWorkerDrained()
{
    if (m_stopped || ++m_drainedWorkers < int(m_workers.size()))
        return;
    m_stopped = true;
    stopThreads();
    emit stopped();
}

void HttpServer::stopThreads()
{
    for (QThread *thread : m_threads) {
        thread->quit();
        thread->wait();
    }
    m_threads.clear();
    m_workers.clear();
}

} // namespace sy::http
