// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "configloader.h"

#include <optional>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include "common/calendar.h"

namespace sy::config {

bool isLoopback(const QHostAddress &address)
{
    return address.isLoopback();
}

bool isLoopbackHost(const QString &host)
{
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

namespace {

using Error = Result<Config>;

Result<std::pair<QHostAddress, quint16>> parseListen(const QString &listen)
{
    const qsizetype colon = listen.lastIndexOf(u':');
    if (colon <= 0)
        return Result<std::pair<QHostAddress, quint16>>::failure(
            QStringLiteral("listen: expected HOST:PORT, e.g. 127.0.0.1:7788"));
    QString host = listen.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = listen.mid(colon + 1).toUInt(&ok);
    QHostAddress address = host.compare(u"localhost", Qt::CaseInsensitive) == 0 ? QHostAddress(QHostAddress::LocalHost)
                                                                                : QHostAddress(host);
    if (address.isNull() || !ok || port > 65535)
        return Result<std::pair<QHostAddress, quint16>>::failure(
            QStringLiteral("listen: '%1' is not HOST:PORT with an IP address").arg(listen));
    return std::pair {address, quint16(port)};
}

// The choice spelled `text`, by the same names ConfigWriter writes.
template<typename Choice, size_t N>
std::optional<Choice> parseName(const QString &text, const Choice (&choices)[N], QString (*name)(Choice))
{
    for (Choice choice : choices) {
        if (name(choice) == text)
            return choice;
    }
    return std::nullopt;
}

Result<ProviderKind> parseKind(const QString &kind)
{
    constexpr ProviderKind kKinds[] = {ProviderKind::OpenAI, ProviderKind::Anthropic, ProviderKind::OpenAICompatible};
    if (const auto parsed = parseName(kind, kKinds, kindName))
        return *parsed;
    return Result<ProviderKind>::failure(
        QStringLiteral("unknown kind '%1' (expected openai, anthropic or openai-compatible)").arg(kind));
}

bool isAnthropicFormat(ProviderKind kind)
{
    return kind == ProviderKind::Anthropic;
}

// Positive integers with a sane ceiling; absent keys keep the default.
bool readInt(const QJsonObject &object, QLatin1StringView key, qint64 min, qint64 max, qint64 &value, QString &error)
{
    const QJsonValue v = object.value(key);
    if (v.isUndefined())
        return true;
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d != double(qint64(d)) || d < double(min) || d > double(max)) {
        error = QStringLiteral("%1: expected an integer from %2 to %3").arg(key).arg(min).arg(max);
        return false;
    }
    value = qint64(d);
    return true;
}

} // namespace

Result<Config> ConfigLoader::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::failure(QStringLiteral("cannot read config %1: %2").arg(path, file.errorString()));
    const qint64 kMaxConfigBytes = 4 * 1024 * 1024;
    const QByteArray json = file.read(kMaxConfigBytes + 1);
    if (json.size() > kMaxConfigBytes)
        return Error::failure(QStringLiteral("config %1 is larger than 4 MiB").arg(path));
    Result<Config> config = fromJson(json);
    if (!config)
        return Error::failure(QStringLiteral("config %1: %2").arg(path, config.error()));
    return config;
}

Result<Config> ConfigLoader::fromJson(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::failure(
            QStringLiteral("not valid JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString()));
    if (!document.isObject())
        return Error::failure(QStringLiteral("the top level must be a JSON object"));
    const QJsonObject root = document.object();
    Config config;
    QString error;

    if (root.contains(u"listen")) {
        auto listen = parseListen(root.value(u"listen").toString());
        if (!listen)
            return Error::failure(listen.error());
        config.listenAddress = listen.value().first;
        config.listenPort = listen.value().second;
    }

    const QJsonObject auth = root.value(u"auth").toObject();
    config.requireClientKey = auth.value(u"require_client_key").toBool(true);
    if (!config.requireClientKey && !isLoopback(config.listenAddress))
        return Error::failure(
            QStringLiteral("auth.require_client_key: false is allowed only when listen is a loopback address"));
    for (const QJsonValue &value : auth.value(u"client_keys").toArray()) {
        const QJsonObject key = value.toObject();
        ClientKeyConfig clientKey {key.value(u"name").toString(),
                                   QByteArray::fromHex(key.value(u"sha256").toString().toLatin1())};
        if (clientKey.name.isEmpty() || clientKey.sha256.size() != 32)
            return Error::failure(
                QStringLiteral("auth.client_keys: each entry needs a name and a 64-hex-digit sha256"));
        config.clientKeys.append(clientKey);
    }

    for (const QJsonValue &value : root.value(u"allowed_origins").toArray())
        config.allowedOrigins.append(value.toString());

    QSet<QString> ids;
    const QJsonArray providers = root.value(u"providers").toArray();
    for (qsizetype i = 0; i < providers.size(); ++i) {
        const QJsonObject object = providers.at(i).toObject();
        ProviderConfig provider;
        provider.id = object.value(u"id").toString();
        const QString where = QStringLiteral("providers[%1]").arg(i);
        if (provider.id.isEmpty() || provider.id.contains(u'/'))
            return Error::failure(where + QStringLiteral(": id is required and may not contain '/'"));
        if (ids.contains(provider.id))
            return Error::failure(where + QStringLiteral(": duplicate id '%1'").arg(provider.id));
        ids.insert(provider.id);
        const QString defaultKind = provider.id == u"anthropic" ? QStringLiteral("anthropic")
            : provider.id == u"openai"                          ? QStringLiteral("openai")
                                                                : QString();
        auto kind = parseKind(object.value(u"kind").toString(defaultKind));
        if (!kind)
            return Error::failure(where + QStringLiteral(": ") + kind.error());
        provider.kind = kind.value();
        const QString defaultUrl = provider.kind == ProviderKind::Anthropic
            ? QStringLiteral("https://api.anthropic.com")
            : provider.kind == ProviderKind::OpenAI ? QStringLiteral("https://api.openai.com")
                                                    : QString();
        provider.baseUrl = QUrl(object.value(u"base_url").toString(defaultUrl), QUrl::StrictMode);
        const QString scheme = provider.baseUrl.scheme();
        if (!provider.baseUrl.isValid() || provider.baseUrl.host().isEmpty()
            || (scheme != u"https" && scheme != u"http"))
            return Error::failure(where + QStringLiteral(": base_url must be an https:// URL"));
        if (scheme == u"http" && !isLoopbackHost(provider.baseUrl.host()))
            return Error::failure(
                where + QStringLiteral(": plain http:// is allowed only for loopback upstreams; use https://"));
        // base_url is the API root, as the SDKs take it ("https://api.openai.com/v1",
        // "https://openrouter.ai/api/v1"); a bare host means its "/v1".
        QString path = provider.baseUrl.path();
        while (path.endsWith(u'/'))
            path.chop(1);
        if (path.isEmpty())
            path = QStringLiteral("/v1");
        provider.apiRoot = path.toUtf8();
        provider.apiKeyEnv = object.value(u"api_key_env").toString();
        provider.caFile = object.value(u"ca_file").toString();
        for (const QJsonValue &model : object.value(u"models").toArray())
            provider.models.append(model.toString());
        provider.injectStreamUsage = object.value(u"inject_stream_usage").toBool(true);
        provider.translate = object.value(u"translate").toBool(true);
        config.providers.append(provider);
    }

    const QJsonArray routes = root.value(u"routes").toArray();
    for (qsizetype i = 0; i < routes.size(); ++i) {
        const QJsonObject object = routes.at(i).toObject();
        const QString where = QStringLiteral("routes[%1]").arg(i);
        RouteConfig route;
        route.model = object.value(u"model").toString();
        if (route.model.isEmpty())
            return Error::failure(where + QStringLiteral(": model is required"));
        const QString strategy = object.value(u"strategy").toString(QStringLiteral("fallback"));
        constexpr RouteStrategy kStrategies[] = {RouteStrategy::Fallback, RouteStrategy::Weighted,
                                                 RouteStrategy::LowestLatency, RouteStrategy::LowestCost};
        if (const auto parsed = parseName(strategy, kStrategies, strategyName))
            route.strategy = *parsed;
        else
            return Error::failure(
                where
                + QStringLiteral(": unknown strategy '%1' (expected fallback, weighted, lowest-latency or lowest-cost)")
                      .arg(strategy));
        if (object.contains(u"retry_on")) {
            route.retryOn.clear();
            for (const QJsonValue &status : object.value(u"retry_on").toArray()) {
                if (status.toInt() < 400 || status.toInt() > 599)
                    return Error::failure(where + QStringLiteral(": retry_on takes HTTP statuses from 400 to 599"));
                route.retryOn.append(status.toInt());
            }
        }
        qint64 maxRetryAfter = route.maxRetryAfterMs;
        if (!readInt(object, QLatin1StringView("max_retry_after_ms"), 0, 60'000, maxRetryAfter, error))
            return Error::failure(where + QStringLiteral(": ") + error);
        route.maxRetryAfterMs = int(maxRetryAfter);
        route.translate = object.value(u"translate").toBool(true);
        for (const QJsonValue &value : object.value(u"targets").toArray()) {
            const QJsonObject target = value.toObject();
            qint64 weight = 1;
            if (!readInt(target, QLatin1StringView("weight"), 0, 1'000'000, weight, error))
                return Error::failure(where + QStringLiteral(": ") + error);
            route.targets.append({target.value(u"provider").toString(), target.value(u"model").toString(), int(weight),
                                  target.value(u"key").toString()});
        }
        if (route.targets.isEmpty())
            return Error::failure(where + QStringLiteral(": at least one target is required"));
        std::optional<bool> anthropicFormat;
        for (const RouteTarget &target : std::as_const(route.targets)) {
            const ProviderConfig *provider = config.provider(target.provider);
            if (!provider)
                return Error::failure(where + QStringLiteral(": unknown provider '%1'").arg(target.provider));
            if (target.model.isEmpty())
                return Error::failure(where + QStringLiteral(": every target needs a model"));
            if (anthropicFormat && *anthropicFormat != isAnthropicFormat(provider->kind) && !route.translate)
                return Error::failure(
                    where + QStringLiteral(": targets mix OpenAI and Anthropic formats while translate is false"));
            anthropicFormat = isAnthropicFormat(provider->kind);
        }
        config.routes.append(route);
    }

    const QJsonValue prices = root.value(u"prices");
    if (!prices.isUndefined() && !prices.isObject())
        return Error::failure(QStringLiteral("prices: expected an object of providers"));
    config.priceOverrides = prices.toObject();

    Result<limits::LimitsConfig> limits
        = limits::LimitsConfig::fromJson(root.value(u"limits").toArray(), root.value(u"budgets").toArray());
    if (!limits)
        return Error::failure(limits.error());
    config.limits = limits.value();

    const QString secretStore = root.value(u"secret_store").toString(QStringLiteral("auto"));
    constexpr secrets::StorePreference kStores[]
        = {secrets::StorePreference::Auto, secrets::StorePreference::Keychain, secrets::StorePreference::EncryptedFile};
    if (const auto parsed = parseName(secretStore, kStores, secretStoreName))
        config.secretStore = *parsed;
    else
        return Error::failure(QStringLiteral("secret_store: expected auto, keychain or encrypted-file"));

    const QJsonValue timeZone = root.value(u"time_zone");
    if (!timeZone.isUndefined()) {
        const auto zone = timeZone.isString() ? Calendar::zoneFromSetting(timeZone.toString()) : std::nullopt;
        if (!zone)
            return Error::failure(QStringLiteral("time_zone: expected \"local\", \"UTC\" or a time zone name this "
                                                 "system knows, such as \"Europe/Berlin\" or \"Asia/Kolkata\"%1")
                                      .arg(timeZone.isString()
                                               ? QStringLiteral(" (not \"%1\")").arg(timeZone.toString().left(64))
                                               : QString()));
        config.timeZone = *zone;
    }

    qint64 retention = config.retentionMonths;
    qint64 limitQueue = config.limitQueueMs;
    qint64 connectTimeout = config.connectTimeoutMs;
    qint64 firstByteTimeout = config.firstByteTimeoutMs;
    qint64 maxBody = config.maxBodyBytes;
    qint64 maxHeader = config.maxHeaderBytes;
    qint64 workers = config.workerThreads;
    qint64 grace = config.shutdownGraceMs;
    qint64 upstreamIdle = config.upstreamIdleTimeoutMs;
    qint64 headerTimeout = config.headerTimeoutMs;
    qint64 bodyTimeout = config.bodyTimeoutMs;
    qint64 idleTimeout = config.idleTimeoutMs;
    const QJsonObject upstream = root.value(u"upstream").toObject();
    const QJsonObject server = root.value(u"server").toObject();
    if (!readInt(root, QLatin1StringView("retention_months"), 1, 1200, retention, error)
        || !readInt(root, QLatin1StringView("limit_queue_ms"), 0, 600'000, limitQueue, error)
        || !readInt(upstream, QLatin1StringView("connect_timeout_ms"), 1, 3'600'000, connectTimeout, error)
        || !readInt(upstream, QLatin1StringView("first_byte_timeout_ms"), 1, 3'600'000, firstByteTimeout, error)
        || !readInt(server, QLatin1StringView("max_body_bytes"), 1024, qint64(1) << 32, maxBody, error)
        || !readInt(server, QLatin1StringView("max_header_bytes"), 1024, 1024 * 1024, maxHeader, error)
        || !readInt(server, QLatin1StringView("worker_threads"), 0, 256, workers, error)
        || !readInt(server, QLatin1StringView("shutdown_grace_ms"), 0, 3'600'000, grace, error)
        || !readInt(upstream, QLatin1StringView("idle_timeout_ms"), 1, 3'600'000, upstreamIdle, error)
        || !readInt(server, QLatin1StringView("header_timeout_ms"), 1, 3'600'000, headerTimeout, error)
        || !readInt(server, QLatin1StringView("body_timeout_ms"), 1, 3'600'000, bodyTimeout, error)
        || !readInt(server, QLatin1StringView("idle_timeout_ms"), 1, 3'600'000, idleTimeout, error))
        return Error::failure(error);
    config.retentionMonths = int(retention);
    config.limitQueueMs = int(limitQueue);
    config.connectTimeoutMs = int(connectTimeout);
    config.firstByteTimeoutMs = int(firstByteTimeout);
    config.maxBodyBytes = maxBody;
    config.maxHeaderBytes = int(maxHeader);
    config.workerThreads = int(workers);
    config.shutdownGraceMs = int(grace);
    config.upstreamIdleTimeoutMs = int(upstreamIdle);
    config.headerTimeoutMs = int(headerTimeout);
    config.bodyTimeoutMs = int(bodyTimeout);
    config.idleTimeoutMs = int(idleTimeout);
    return config;
}

} // namespace sy::config
