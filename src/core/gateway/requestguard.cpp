// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "requestguard.h"

#include <QHostAddress>

#include "config/config.h"
#include "http/httprequest.h"

namespace sy::gateway {

namespace {

QByteArrayView hostName(QByteArrayView host)
{
    if (host.startsWith('[')) {
        const qsizetype end = host.indexOf(']');
        return end > 0 ? host.sliced(1, end - 1) : QByteArrayView();
    }
    const qsizetype colon = host.lastIndexOf(':');
    return colon >= 0 ? host.first(colon) : host;
}

bool hostAllowed(const config::Config &config, QByteArrayView hostHeader)
{
    const QHostAddress listen = config.listenAddress;
    if (listen == QHostAddress::Any || listen == QHostAddress::AnyIPv4 || listen == QHostAddress::AnyIPv6)
        return true; // the user asked for network access; client keys are then required
    const QString name = QString::fromLatin1(hostName(hostHeader));
    if (config::isLoopbackHost(name))
        return true;
    const QHostAddress address(name);
    return !address.isNull() && address.isEqual(listen, QHostAddress::TolerantConversion);
}

} // namespace

RequestGuard::Verdict RequestGuard::check(const config::Config &config, const http::HttpRequest &request)
{
    const QByteArrayView host = request.header("host");
    if (!host.isNull() && !hostAllowed(config, host))
        return Verdict::ForeignHost;
    const QByteArrayView origin = request.header("origin");
    if (!origin.isNull() && allowedOrigin(config, request).isEmpty())
        return Verdict::ForeignOrigin;
    return Verdict::Allow;
}

QByteArrayView RequestGuard::allowedOrigin(const config::Config &config, const http::HttpRequest &request)
{
    const QByteArrayView origin = request.header("origin");
    if (origin.isEmpty())
        return {};
    for (const QString &allowed : config.allowedOrigins) {
        if (allowed == u"*" || QLatin1StringView(origin) == allowed)
            return origin;
    }
    return {};
}

} // namespace sy::gateway
