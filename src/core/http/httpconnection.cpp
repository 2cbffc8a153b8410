// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "httpconnection.h"

#include <QTcpSocket>

#include "httpexchange.h"
#include "httplog.h"
#include "requesthandler.h"

namespace sy::http {

HttpConnection::HttpConnection(QTcpSocket *socket, RequestHandler &handler, Limits limits, QObject *parent)
    : QObject(parent), m_socket(socket), m_handler(handler), m_parser(limits.maxBodyBytes, limits.maxHeaderBytes)
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
        if (m_parser.headersComplete() && m_parser.expectsContinue() && m_parser.error() == RequestError::None
            && !m_parser.messageComplete() && consumed > 0 && m_input.isEmpty()) {
            writeRaw("HTTP/1.1 100 Continue\r\n\r\n");
            flush();
        }
        if (m_parser.error() != RequestError::None || m_parser.messageComplete()) {
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
        m_socket->disconnectFromHost(); // after the queued bytes are sent
        finishIfDone();
        return;
    }
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
    if (m_socket->bytesToWrite() > HttpExchange::kHighWaterBytes)
        m_aboveHighWater = true;
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

} // namespace sy::http
