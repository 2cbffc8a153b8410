// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>

namespace sy::config {
struct Config;
}
namespace sy::http {
struct HttpRequest;
}

namespace sy::gateway {

// The localhost threat model: any web page in the user's browser can send requests to
// 127.0.0.1. Refuse those a browser could be tricked into sending: a foreign Host (DNS
// rebinding) or an Origin the user has not allowed.
class RequestGuard
{
public:
    enum class Verdict { Allow, ForeignHost, ForeignOrigin };

    static Verdict check(const config::Config &config, const http::HttpRequest &request);
    // The request's Origin when config allows it (CORS headers echo it); empty otherwise.
    static QByteArrayView allowedOrigin(const config::Config &config, const http::HttpRequest &request);
};

} // namespace sy::gateway
