// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

#include "upstreamconnection.h"
#include "upstreamrequest.h"

namespace sy::upstream {

class UpstreamPool;

// One request to an upstream and its streamed response. Reuses a pooled connection when
// one is idle, and retries once on a fresh connection when a reused one turns out to be
// closed before any response byte (the usual keep-alive race).
class UpstreamCall final : public QObject, private ConnectionListener
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamCall)

public:
    UpstreamCall(UpstreamPool &pool, UpstreamRequest request, QObject *parent = nullptr);
    ~UpstreamCall() override;

    void start();
    void abort(); // no further signals
    void setReadPaused(bool paused); // back-pressure from a slow client

    UpstreamError error() const { return m_error; }

signals:
    void responseStarted(int status, const sy::http::HeaderList &headers, qint64 contentLength);
    // De-chunked body bytes; the view is valid only during the emission.
    void bodyReceived(QByteArrayView data);
    void finished();
    void failed(sy::upstream::UpstreamError error, bool responseHadStarted);

private:
    void onConnected() override;
    void onResponseHead(int status, http::HeaderList &headers, qint64 contentLength) override;
    void onResponseBody(QByteArrayView data) override;
    void onResponseComplete() override;
    void onConnectionError(UpstreamError error) override;
    void send();
    void onTimeout();
    void releaseConnection();

    UpstreamPool &m_pool;
    UpstreamRequest m_request;
    QByteArray m_head;
    QPointer<UpstreamConnection> m_connection;
    QTimer m_timer; // connect, then first byte, then silence between reads
    qint64 m_lastBytesMs = 0; // monotonic
    UpstreamError m_error = UpstreamError::None;
    bool m_reused = false;
    bool m_retried = false;
    bool m_connected = false;
    bool m_started = false;
    bool m_done = false;
    bool m_paused = false;
};

} // namespace sy::upstream
