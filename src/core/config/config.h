// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTimeZone>
#include <QUrl>

#include "limits/limitsconfig.h"
#include "secrets/storepreference.h"

namespace sy::config {

enum class ProviderKind { OpenAI, Anthropic, OpenAICompatible };

struct ProviderConfig
{
    QString id;
    ProviderKind kind = ProviderKind::OpenAI;
    QUrl baseUrl; // the API root, e.g. https://api.openai.com/v1 (a bare host means HOST/v1)
    QByteArray apiRoot; // baseUrl's path without a trailing '/': client paths "/v1/X" go to apiRoot + "/X"
    QString apiKeyEnv; // environment variable holding the provider key
    QString caFile; // extra CA certificates (PEM) trusted for this provider
    QStringList models; // advertised by GET /v1/models
    bool injectStreamUsage = true; // OpenAI format: ask for usage on streams the client did not
    // Requests in the other wire format may be translated for this provider ("provider/model"
    // or a route target); false: only its own format reaches it.
    bool translate = true;
};

struct RouteTarget
{
    QString provider;
    QString model;
    int weight = 1; // for the weighted strategy
    QString key; // a label of the provider's key pool; empty: any key, in rotation
};

enum class RouteStrategy { Fallback, Weighted, LowestLatency, LowestCost };

struct RouteConfig
{
    QString model; // the name clients use
    RouteStrategy strategy = RouteStrategy::Fallback;
    QList<RouteTarget> targets;
    // Upstream answers that move on to the next target (before the first byte reaches
    // the client); connect failures and first-byte timeouts always do.
    QList<int> retryOn {429, 500, 502, 503, 504, 529};
    int maxRetryAfterMs = 2000; // a shorter Retry-After retries the same target once
    // Targets whose provider speaks another format than the caller are translated (where
    // the provider allows it too); false: such targets are refused, as are mixed formats.
    bool translate = true;
};

// A client key known only by its SHA-256; the key itself is never stored.
struct ClientKeyConfig
{
    QString name;
    QByteArray sha256; // 32 raw bytes
    QDateTime expires; // invalid: never
};

struct Config
{
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 7788;
    bool requireClientKey = true;
    QList<ClientKeyConfig> clientKeys;
    QStringList allowedOrigins; // browser origins allowed to call the gateway, e.g. "http://localhost:3000"
    QList<ProviderConfig> providers;
    QList<RouteConfig> routes;
    int retentionMonths = 24;
    // "time_zone": where days and months begin for budgets, "today" and the window (see
    // sy::Calendar). Invalid: "local", the system's zone. Apply with Calendar::setZone().
    QTimeZone timeZone;
    int limitQueueMs = 0; // over a rate limit, wait up to this long for a turn before answering 429
    secrets::StorePreference secretStore = secrets::StorePreference::Auto; // where new provider keys go
    QJsonObject priceOverrides; // "prices": the shape of resources/pricing.json's "providers"
    limits::LimitsConfig limits; // "limits" and "budgets"
    int connectTimeoutMs = 10'000;
    int firstByteTimeoutMs = 600'000; // reasoning models may think for minutes before the first byte
    int upstreamIdleTimeoutMs = 300'000; // silence between response bytes after the head
    qint64 maxBodyBytes = 32 * 1024 * 1024;
    int maxHeaderBytes = 64 * 1024;
    int headerTimeoutMs = 30'000; // a client's whole request head
    int bodyTimeoutMs = 60'000; // silence within a request body (or a response the client stopped reading)
    int idleTimeoutMs = 120'000; // a kept-alive client connection between requests
    int workerThreads = 0; // 0: one per core
    int shutdownGraceMs = 10'000;

    const ProviderConfig *provider(QStringView id) const
    {
        for (const ProviderConfig &p : providers) {
            if (p.id == id)
                return &p;
        }
        return nullptr;
    }
    const RouteConfig *route(QStringView model) const
    {
        for (const RouteConfig &r : routes) {
            if (r.model == model)
                return &r;
        }
        return nullptr;
    }
};

// The config file's spelling of each choice: what ConfigLoader accepts and ConfigWriter writes.
QString kindName(ProviderKind kind); // "openai", "anthropic", "openai-compatible"
QString strategyName(RouteStrategy strategy); // "fallback", "weighted", "lowest-latency", "lowest-cost"
QString secretStoreName(secrets::StorePreference preference); // "auto", "keychain", "encrypted-file"

bool isLoopback(const QHostAddress &address);
bool isLoopbackHost(const QString &host); // "localhost", 127.0.0.0/8, ::1

} // namespace sy::config
