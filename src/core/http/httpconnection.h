// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QObject>

#include "requestparser.h"

class QTcpSocket;

namespace sy::http {

class HttpExchange;
class RequestHandler;

// One client connection: reads requests, hands them to the handler one at a time
// (pipelined requests are answered in order), writes responses, keeps the connection
// alive between requests.
class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    struct Limits
    {
        qint64 maxBodyBytes;
        int maxHeaderBytes;
    };

    HttpConnection(QTcpSocket *socket, RequestHandler &handler, Limits limits, QObject *parent = nullptr);
    ~HttpConnection() override;

    // Finish the current response (if any), then close: for shutdown.
    void closeWhenIdle();
    // Close now; a response in progress is cut off.
    void abortConnection();

signals:
    void closed();

private:
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

    QTcpSocket *m_socket;
    RequestHandler &m_handler;
    RequestParser m_parser;
    QByteArray m_input;
    HttpExchange *m_current = nullptr;
    bool m_closing = false;
    bool m_closeWhenIdle = false;
    bool m_aboveHighWater = false;
    bool m_done = false;
};

} // namespace sy::http
