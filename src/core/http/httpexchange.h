// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPointer>

#include "httprequest.h"

namespace sy::http {

class HttpConnection;

// One request and its response on a connection. The handler writes the response through
// it, whole or as a stream; the exchange frames it (Content-Length or chunked).
class HttpExchange final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpExchange)

public:
    HttpExchange(HttpRequest request, HttpConnection *connection);

    const HttpRequest &request() const { return m_request; }

    // A complete response with a Content-Length.
    void respond(int status, const HeaderList &headers, QByteArrayView body);
    // Starts a response; contentLength -1 streams it chunked. The head leaves with the
    // first body bytes, or on the next event loop turn.
    void beginResponse(int status, const HeaderList &headers, qint64 contentLength = -1);
    // Sends body bytes at once: each call is one chunk on the wire, never merged with the next.
    void write(QByteArrayView data);
    void end();
    // Closes the connection without completing the response, so the client sees a
    // truncated message rather than a complete-looking one.
    void abort();

    bool hasBegun() const { return m_begun; }
    bool isFinished() const { return m_finished; }
    bool isClientGone() const { return m_clientGone; }
    qint64 pendingBytes() const; // accepted but not yet handed to the kernel
    // The client's address, for per-address limits only: never stored or logged.
    QString peerAddress() const;

    static constexpr qint64 kHighWaterBytes = 256 * 1024;

signals:
    void drained(); // pendingBytes() fell back under the high-water mark
    void clientGone(); // the client closed or reset the connection before the response ended

private:
    friend class HttpConnection;
    void markClientGone();

    HttpRequest m_request;
    QPointer<HttpConnection> m_connection;
    bool m_begun = false;
    bool m_chunked = false;
    bool m_finished = false;
    bool m_clientGone = false;
    bool m_closeAfter = false;
};

QByteArrayView reasonPhrase(int status);

} // namespace sy::http
