// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include "http/headers.h"

namespace sy::upstream {

// Where a request goes: connections are pooled per origin.
struct Origin
{
    bool tls = true;
    QString host;
    quint16 port = 443;
    QString caFile; // extra trusted CAs (PEM) on top of the system's

    QString key() const;
};

struct UpstreamRequest
{
    Origin origin;
    QByteArray method;
    QByteArray target; // path and query
    http::HeaderList headers; // without Host, Content-Length and hop-by-hop headers
    QByteArray body;
    int connectTimeoutMs = 10'000;
    int firstByteTimeoutMs = 600'000;
    int idleTimeoutMs = 300'000; // silence between response bytes once the head is in
};

enum class UpstreamError {
    None,
    ConnectFailed, // refused, unreachable, DNS
    ConnectTimeout,
    TlsFailed, // handshake or certificate verification
    FirstByteTimeout,
    IdleTimeout, // the response began, then the upstream went silent
    ConnectionLost, // closed or reset before the response was complete
    ProtocolError, // not a valid HTTP response
};

QString describe(UpstreamError error);

} // namespace sy::upstream
