// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "httpworker.h"

#include <QTcpSocket>

#include "httplog.h"
#include "requesthandler.h"

namespace sy::http {

HttpWorker::HttpWorker(HandlerFactory factory, HttpConnection::Limits limits)
    : m_factory(std::move(factory)), m_limits(limits)
{ }

HttpWorker::~HttpWorker()
{
    // Connections refer to the handler: they go first.
    const auto connections = m_connections;
    for (HttpConnection *connection : connections) {
        disconnect(connection, nullptr, this, nullptr);
        delete connection;
    }
}

void HttpWorker::adopt(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket;
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        qCWarning(lcHttp) << "cannot adopt accepted socket:" << socket->errorString();
        delete socket;
        return;
    }
    if (m_draining) {
        socket->abort();
        delete socket;
        return;
    }
    if (!m_handler)
        m_handler = m_factory();
    auto *connection = new HttpConnection(socket, *m_handler, m_limits, this);
    m_connections.insert(connection);
    connect(connection, &HttpConnection::closed, this, [this, connection] { onConnectionClosed(connection); });
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(socket, &QTcpSocket::readyRead, Qt::QueuedConnection);
}

void HttpWorker::drain()
{
    m_draining = true;
    const auto connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->closeWhenIdle();
    emitDrainedOnce();
}

void HttpWorker::emitDrainedOnce()
{
    // Idle connections close inside drain() itself: count this worker once.
    if (m_draining && m_connections.isEmpty() && !m_drainedEmitted) {
        m_drainedEmitted = true;
        emit drained();
    }
}

void HttpWorker::abortAll()
{
    m_draining = true;
    const auto connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->abortConnection();
}

void HttpWorker::onConnectionClosed(HttpConnection *connection)
{
    m_connections.remove(connection);
    emitDrainedOnce();
}

} // namespace sy::http
