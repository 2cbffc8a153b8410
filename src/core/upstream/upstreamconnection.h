// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QObject>

#include "http/headercollector.h"
#include "upstreamrequest.h"

class QTcpSocket;
class QSslConfiguration;
struct http_parser;

namespace sy::upstream {

// What a connection reports while it carries one exchange.
class ConnectionListener
{
public:
    virtual ~ConnectionListener() = default;
    virtual void onConnected() = 0;
    virtual void onResponseHead(int status, http::HeaderList &headers, qint64 contentLength) = 0;
    virtual void onResponseBody(QByteArrayView data) = 0;
    virtual void onResponseComplete() = 0;
    virtual void onConnectionError(UpstreamError error) = 0;
};

// One keep-alive connection to an upstream origin, plain or TLS, with its response
// parser. Carries one exchange at a time; the pool keeps it between exchanges.
class UpstreamConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamConnection)

public:
    UpstreamConnection(const Origin &origin, const QSslConfiguration *tls, QObject *parent = nullptr);
    ~UpstreamConnection() override;

    const Origin &origin() const { return m_origin; }
    bool isConnected() const;
    bool isReusable() const { return m_reusable; }
    bool hasReceivedBytes() const { return m_receivedBytes; }
    int exchanges() const { return m_exchanges; }

    void connectToOrigin();
    // Sends one request; events go to listener until it completes or fails.
    void send(QByteArrayView head, QByteArrayView body, ConnectionListener *listener);
    void detach(); // the listener is gone; the connection can no longer be reused
    void setReadPaused(bool paused);

signals:
    void idleClosed(); // closed by the peer while idle in the pool

private:
    friend struct ResponseCallbacks;
    void onReadyRead();
    void onDisconnected();
    void onSocketError();
    void fail(UpstreamError error);

    Origin m_origin;
    QTcpSocket *m_socket = nullptr;
    std::unique_ptr<http_parser> m_parser;
    ConnectionListener *m_listener = nullptr;
    http::HeaderCollector m_headers;
    bool m_reusable = false;
    bool m_receivedBytes = false;
    bool m_paused = false;
    bool m_messageComplete = false;
    bool m_parsing = false;
    int m_exchanges = 0;
};

} // namespace sy::upstream
