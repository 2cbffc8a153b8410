// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "httpserver.h"

#include <QThread>
#include <QTimer>

namespace sy::http {

HttpServer::HttpServer(HttpWorker::HandlerFactory factory, HttpConnection::Limits limits, int threads, QObject *parent)
    : QTcpServer(parent)
{
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
    HttpWorker *worker = m_workers[m_next];
    m_next = (m_next + 1) % m_workers.size();
    QMetaObject::invokeMethod(
        worker, [worker, socketDescriptor] { worker->adopt(socketDescriptor); }, Qt::QueuedConnection);
}

void HttpServer::shutdown(int graceMs)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
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
