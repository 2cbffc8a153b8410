// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "configwriter.h"

#include <QJsonArray>

#include "common/calendar.h"

namespace sy::config {

namespace {

QString listenText(const Config &config)
{
    const QString host = config.listenAddress.protocol() == QAbstractSocket::IPv6Protocol
        ? u'[' + config.listenAddress.toString() + u']'
        : config.listenAddress.toString();
    return host + u':' + QString::number(config.listenPort);
}

QJsonObject providerJson(const ProviderConfig &provider)
{
    QJsonObject object {{QStringLiteral("id"), provider.id},
                        {QStringLiteral("kind"), kindName(provider.kind)},
                        {QStringLiteral("base_url"), provider.baseUrl.toString()}};
    if (!provider.apiKeyEnv.isEmpty())
        object.insert(QStringLiteral("api_key_env"), provider.apiKeyEnv);
    if (!provider.caFile.isEmpty())
        object.insert(QStringLiteral("ca_file"), provider.caFile);
    if (!provider.models.isEmpty())
        object.insert(QStringLiteral("models"), QJsonArray::fromStringList(provider.models));
    if (!provider.injectStreamUsage)
        object.insert(QStringLiteral("inject_stream_usage"), false);
    if (!provider.translate)
        object.insert(QStringLiteral("translate"), false);
    return object;
}

QJsonObject routeJson(const RouteConfig &route)
{
    QJsonArray targets;
    for (const RouteTarget &target : route.targets) {
        QJsonObject object {{QStringLiteral("provider"), target.provider}, {QStringLiteral("model"), target.model}};
        if (target.weight != 1)
            object.insert(QStringLiteral("weight"), target.weight);
        if (!target.key.isEmpty())
            object.insert(QStringLiteral("key"), target.key);
        targets.append(object);
    }
    QJsonArray retryOn;
    for (int status : route.retryOn)
        retryOn.append(status);
    QJsonObject object {{QStringLiteral("model"), route.model},
                        {QStringLiteral("strategy"), strategyName(route.strategy)},
                        {QStringLiteral("targets"), targets},
                        {QStringLiteral("retry_on"), retryOn},
                        {QStringLiteral("max_retry_after_ms"), route.maxRetryAfterMs}};
    if (!route.translate)
        object.insert(QStringLiteral("translate"), false);
    return object;
}

double usd(qint64 microUsd)
{
    return double(microUsd) / 1e6;
}

} // namespace

QJsonObject ConfigWriter::toJson(const Config &config)
{
    QJsonArray providers;
    for (const ProviderConfig &provider : config.providers)
        providers.append(providerJson(provider));
    QJsonArray routes;
    for (const RouteConfig &route : config.routes)
        routes.append(routeJson(route));
    QJsonArray limits;
    for (const limits::RateLimit &limit : config.limits.limits) {
        QJsonObject object {{QStringLiteral("scope"), limits::scopeName(limit.scope)}};
        if (!limit.name.isEmpty())
            object.insert(QStringLiteral("name"), limit.name);
        if (limit.rpm)
            object.insert(QStringLiteral("rpm"), limit.rpm);
        if (limit.tpm)
            object.insert(QStringLiteral("tpm"), limit.tpm);
        if (limit.concurrency)
            object.insert(QStringLiteral("concurrency"), limit.concurrency);
        limits.append(object);
    }
    QJsonArray budgets;
    for (const limits::Budget &budget : config.limits.budgets) {
        QJsonObject object {{QStringLiteral("scope"), limits::scopeName(budget.scope)}};
        if (!budget.name.isEmpty())
            object.insert(QStringLiteral("name"), budget.name);
        if (budget.dailyMicroUsd)
            object.insert(QStringLiteral("daily_usd"), usd(budget.dailyMicroUsd));
        if (budget.monthlyMicroUsd)
            object.insert(QStringLiteral("monthly_usd"), usd(budget.monthlyMicroUsd));
        if (budget.prepaidSince.isValid()) {
            object.insert(QStringLiteral("prepaid_usd"), usd(budget.prepaidMicroUsd));
            object.insert(QStringLiteral("prepaid_since"), budget.prepaidSince.toString(Qt::ISODate));
        }
        budgets.append(object);
    }
    QJsonObject auth {{QStringLiteral("require_client_key"), config.requireClientKey}};
    QJsonArray clientKeys;
    for (const ClientKeyConfig &key : config.clientKeys)
        clientKeys.append(QJsonObject {{QStringLiteral("name"), key.name},
                                       {QStringLiteral("sha256"), QString::fromLatin1(key.sha256.toHex())}});
    if (!clientKeys.isEmpty())
        auth.insert(QStringLiteral("client_keys"), clientKeys);
    QJsonObject root {
        {QStringLiteral("listen"), listenText(config)},
        {QStringLiteral("auth"), auth},
        {QStringLiteral("providers"), providers},
        {QStringLiteral("secret_store"), secretStoreName(config.secretStore)},
        {QStringLiteral("retention_months"), config.retentionMonths},
        {QStringLiteral("time_zone"), Calendar::settingOf(config.timeZone)},
        {QStringLiteral("limit_queue_ms"), config.limitQueueMs},
        {QStringLiteral("upstream"),
         QJsonObject {{QStringLiteral("connect_timeout_ms"), config.connectTimeoutMs},
                      {QStringLiteral("first_byte_timeout_ms"), config.firstByteTimeoutMs},
                      {QStringLiteral("idle_timeout_ms"), config.upstreamIdleTimeoutMs}}},
        {QStringLiteral("server"),
         QJsonObject {{QStringLiteral("max_body_bytes"), config.maxBodyBytes},
                      {QStringLiteral("max_header_bytes"), config.maxHeaderBytes},
                      {QStringLiteral("worker_threads"), config.workerThreads},
                      {QStringLiteral("shutdown_grace_ms"), config.shutdownGraceMs},
                      {QStringLiteral("header_timeout_ms"), config.headerTimeoutMs},
                      {QStringLiteral("body_timeout_ms"), config.bodyTimeoutMs},
                      {QStringLiteral("idle_timeout_ms"), config.idleTimeoutMs}}},
    };
    for (const auto &[key, list] :
         {std::pair {QStringLiteral("routes"), routes}, std::pair {QStringLiteral("limits"), limits},
          std::pair {QStringLiteral("budgets"), budgets}}) {
        if (!list.isEmpty())
            root.insert(key, list);
    }
    if (!config.allowedOrigins.isEmpty())
        root.insert(QStringLiteral("allowed_origins"), QJsonArray::fromStringList(config.allowedOrigins));
    if (!config.priceOverrides.isEmpty())
        root.insert(QStringLiteral("prices"), config.priceOverrides);
    return root;
}

} // namespace sy::config
