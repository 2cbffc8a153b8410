// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "upstreamrequest.h"

namespace sy::upstream {

QString Origin::key() const
{
    return (tls ? QStringLiteral("https://") : QStringLiteral("http://")) + host + u':' + QString::number(port) + u'|'
        + caFile;
}

QString describe(UpstreamError error)
{
    switch (error) {
    case UpstreamError::None:
        return QStringLiteral("no error");
    case UpstreamError::ConnectFailed:
        return QStringLiteral("could not connect to the upstream");
    case UpstreamError::ConnectTimeout:
        return QStringLiteral("timed out connecting to the upstream");
    case UpstreamError::TlsFailed:
        return QStringLiteral("TLS handshake with the upstream failed (certificate not trusted?)");
    case UpstreamError::FirstByteTimeout:
        return QStringLiteral("the upstream did not answer in time");
    case UpstreamError::IdleTimeout:
        return QStringLiteral("the upstream went silent in the middle of its response");
    case UpstreamError::ConnectionLost:
        return QStringLiteral("the upstream closed the connection before the response was complete");
    case UpstreamError::ProtocolError:
        return QStringLiteral("the upstream sent an invalid HTTP response");
    }
    return {};
}

} // namespace sy::upstream
