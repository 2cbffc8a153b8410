// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "gateway.h"

#include <QTimer>

#include "common/clock.h"
#include "common/usagesink.h"
#include "gatewaylog.h"
#include "gatewaystate.h"
#include "http/httpexchange.h"
#include "limits/budgettracker.h"
#include "limits/ratelimiter.h"
#include "livestate.h"
#include "modelslist.h"
#include "providers/endpoint.h"
#include "providers/jsonbody.h"
#include "proxycall.h"
#include "requestguard.h"
#include "router.h"
#include "translate/anthropictoopenairequest.h"

namespace sy::gateway {

using providers::Endpoint;
using providers::ErrorKind;
using providers::WireFormat;

namespace {

constexpr QByteArrayView kDefaultAnthropicVersion = "2023-06-01";

// The format of an error for a request we could not place: Anthropic's SDK sends
// anthropic-version on every call, and its paths start with /v1/messages.
WireFormat callerFormat(const http::HttpRequest &request, Endpoint endpoint)
{
    if (endpoint != Endpoint::Unknown && endpoint != Endpoint::Models)
        return providers::wireFormatOf(endpoint);
    if (request.path.startsWith("/v1/messages") || !request.header("anthropic-version").isNull())
        return WireFormat::Anthropic;
    return WireFormat::OpenAI;
}

http::HeaderList corsHeaders(const config::Config &config, const http::HttpRequest &request)
{
    const QByteArrayView origin = RequestGuard::allowedOrigin(config, request);
    if (origin.isEmpty())
        return {};
    return {{"Access-Control-Allow-Origin", origin.toByteArray()}, {"Vary", "Origin"}};
}

void respondJson(http::HttpExchange *exchange, int status, QByteArrayView body, http::HeaderList headers = {})
{
    headers.prepend({"Content-Type", "application/json"});
    exchange->respond(status, headers, body);
}

void respondError(http::HttpExchange *exchange, WireFormat format, ErrorKind kind, const QString &message,
                  http::HeaderList headers = {})
{
    respondJson(exchange, providers::httpStatus(kind), providers::errorBody(format, kind, message), std::move(headers));
}

// The client key, as either SDK family presents it.
QByteArrayView presentedKey(const http::HttpRequest &request)
{
    const QByteArrayView authorization = request.header("authorization");
    if (authorization.size() > 7 && authorization.first(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return authorization.sliced(7).trimmed();
    return request.header("x-api-key").trimmed();
}

bool isClientCredentialOrLocal(QByteArrayView name)
{
    static constexpr QByteArrayView kDropped[] = {
        "host", "authorization", "x-api-key", "accept-encoding", "expect", "cookie",
    };
    for (QByteArrayView dropped : kDropped) {
        if (http::sameHeaderName(name, dropped))
            return true;
    }
    return false;
}

// The client's headers minus its credentials and the hop-by-hop ones. The provider's key
// is added per attempt (ProxyCall), since a retry may take another key of the pool.
// Encoding is forced to identity: the usage tap reads the body.
http::HeaderList upstreamHeaders(const http::HttpRequest &request, const ProviderRuntime &provider)
{
    http::HeaderList headers;
    headers.reserve(request.headers.size() + 2);
    bool hasVersion = false;
    for (const http::Header &header : request.headers) {
        if (http::isHopByHop(header.name) || isClientCredentialOrLocal(header.name))
            continue;
        hasVersion = hasVersion || http::sameHeaderName(header.name, "anthropic-version");
        headers.append(header);
    }
    headers.append(http::Header {"Accept-Encoding", "identity"});
    if (provider.format == WireFormat::Anthropic && !hasVersion)
        headers.append(http::Header {"anthropic-version", kDefaultAnthropicVersion.toByteArray()});
    return headers;
}

// The caller's headers for a provider of the other format: its own dialect's headers
// (anthropic-version, anthropic-beta, ...) mean nothing there and are left out.
http::HeaderList translatedHeaders(const http::HttpRequest &request)
{
    http::HeaderList headers;
    headers.reserve(request.headers.size() + 2);
    for (const http::Header &header : request.headers) {
        if (http::isHopByHop(header.name) || isClientCredentialOrLocal(header.name)
            || header.name.toLower().startsWith("anthropic-") || http::sameHeaderName(header.name, "content-type"))
            continue;
        headers.append(header);
    }
    headers.append(http::Header {"Content-Type", "application/json"});
    headers.append(http::Header {"Accept-Encoding", "identity"});
    return headers;
}

// A target whose provider speaks the other format: the request rebuilt in its format.
Result<ProxyCall::Attempt> translatedAttempt(const http::HttpRequest &request, const providers::JsonBody &clientBody,
                                             const RouteTarget &target, const config::Config &config)
{
    const ProviderRuntime &provider = *target.provider;
    translate::AnthropicToOpenAIRequest::Options options;
    options.upstreamModel = target.upstreamModel;
    options.clientModel = clientBody.string("model").toUtf8();
    // OpenAI's newer models refuse max_tokens; compatible servers often know only it.
    options.maxCompletionTokens = provider.config.kind == config::ProviderKind::OpenAI;
    Result<translate::AnthropicToOpenAIRequest::Output> mapped
        = translate::AnthropicToOpenAIRequest::map(clientBody.bytes(), options);
    if (!mapped)
        return Result<ProxyCall::Attempt>::failure(mapped.error());
    ProxyCall::Attempt attempt;
    attempt.translation = mapped->translation;
    attempt.provider = provider.config.id;
    attempt.runtime = &provider;
    attempt.keyLabel = target.keyLabel;
    attempt.model = target.upstreamModel;
    attempt.usageConvention = CacheConvention::InputIncludesCached; // priced as the provider that answers counts
    upstream::UpstreamRequest &upstream = attempt.request;
    upstream.origin = provider.origin;
    upstream.method = request.method;
    upstream.target = provider.config.apiRoot + "/chat/completions";
    upstream.headers = translatedHeaders(request);
    upstream.body = mapped->body;
    upstream.connectTimeoutMs = config.connectTimeoutMs;
    upstream.firstByteTimeoutMs = config.firstByteTimeoutMs;
    return attempt;
}

// The request for one target: its model name, its stream-usage option, its key.
ProxyCall::Attempt attempt(const http::HttpRequest &request, Endpoint endpoint, const providers::JsonBody &clientBody,
                           const RouteTarget &target, const config::Config &config, bool streamed)
{
    const ProviderRuntime &provider = *target.provider;
    providers::JsonBody body = clientBody; // shares the bytes until an edit
    if (target.rewriteModel)
        body.setString("model", target.upstreamModel);
    ProxyCall::Attempt attempt;
    if (streamed && provider.format == WireFormat::OpenAI && provider.config.injectStreamUsage
        && (endpoint == Endpoint::ChatCompletions || endpoint == Endpoint::Completions))
        attempt.hideInjectedUsage = body.ensureStreamIncludeUsage();
    attempt.provider = provider.config.id;
    attempt.runtime = &provider;
    attempt.keyLabel = target.keyLabel;
    attempt.model = target.upstreamModel;
    attempt.usageConvention = provider.format == WireFormat::Anthropic ? CacheConvention::InputExcludesCached
                                                                       : CacheConvention::InputIncludesCached;
    upstream::UpstreamRequest &upstream = attempt.request;
    upstream.origin = provider.origin;
    upstream.method = request.method;
    upstream.target = provider.config.apiRoot + request.path.sliced(3); // "/v1/x" -> apiRoot + "/x"
    if (!request.query.isEmpty())
        upstream.target += '?' + request.query;
    upstream.headers = upstreamHeaders(request, provider);
    upstream.body = body.bytes();
    upstream.connectTimeoutMs = config.connectTimeoutMs;
    upstream.firstByteTimeoutMs = config.firstByteTimeoutMs;
    upstream.idleTimeoutMs = config.upstreamIdleTimeoutMs;
    return attempt;
}

// How the row of a request refused before routing names the model asked for, the way a
// routed row would: "provider/model" split in two, a route name in `route` too. No
// strategy runs, so refusals never move a route's turn.
void nameRequestedModel(const GatewayState &state, const QString &model, UsageRecord &record)
{
    record.model = model;
    if (state.config().route(model)) {
        record.route = model;
        return;
    }
    const qsizetype slash = model.indexOf(u'/');
    if (slash > 0 && slash + 1 < model.size() && state.provider(QStringView(model).left(slash))) {
        record.provider = model.left(slash);
        record.model = model.mid(slash + 1);
    }
}

bool methodAllowed(Endpoint endpoint, QByteArrayView method)
{
    return endpoint == Endpoint::Models ? method == "GET" : method == "POST";
}

} // namespace

// A request past routing, waiting for its turn under the limits.
struct Gateway::Admission
{
    UsageRecord record;
    ProxyCall::Plan plan; // holds the state snapshot
    QElapsedTimer received;
    limits::RequestKey key;
    qint64 estimatedCostMicroUsd = 0;
    int maxWaitMs = 0;
};

Gateway::Gateway(GatewayServices services, QObject *parent) : QObject(parent), m_services(std::move(services)) { }

Gateway::~Gateway() = default;

void Gateway::handle(http::HttpExchange *exchange)
{
    QElapsedTimer received;
    received.start();
    const std::shared_ptr<const GatewayState> state = m_services.state.snapshot();
    const http::HttpRequest &request = exchange->request();
    const Endpoint endpoint = providers::endpointForPath(request.path);
    const WireFormat format = callerFormat(request, endpoint);

    switch (request.error) {
    case http::RequestError::None:
        break;
    case http::RequestError::HeadersTooLarge:
        respondError(exchange, format, ErrorKind::HeadersTooLarge,
                     QStringLiteral("request headers are larger than %1 bytes").arg(state->config().maxHeaderBytes));
        return;
    case http::RequestError::BodyTooLarge:
        respondError(exchange, format, ErrorKind::RequestTooLarge,
                     QStringLiteral("request body is larger than %1 bytes").arg(state->config().maxBodyBytes));
        return;
    case http::RequestError::Malformed:
    case http::RequestError::UnsupportedTransfer:
        respondError(exchange, format, ErrorKind::InvalidRequest, QStringLiteral("malformed HTTP request"));
        return;
    }

    switch (RequestGuard::check(state->config(), request)) {
    case RequestGuard::Verdict::Allow:
        break;
    case RequestGuard::Verdict::ForeignHost:
        qCInfo(lcGateway) << "refused a request with a foreign Host header (DNS rebinding guard)";
        respondError(exchange, format, ErrorKind::Permission,
                     QStringLiteral("Host is not a loopback name or the listen address"));
        return;
    case RequestGuard::Verdict::ForeignOrigin:
        qCInfo(lcGateway) << "refused a browser request from an origin not in allowed_origins";
        respondError(exchange, format, ErrorKind::Permission,
                     QStringLiteral("requests from this Origin are not allowed (see allowed_origins)"));
        return;
    }

    const http::HeaderList cors = corsHeaders(state->config(), request);
    if (request.method == "OPTIONS") {
        http::HeaderList headers = cors;
        headers += {{"Access-Control-Allow-Methods", "GET, POST, OPTIONS"},
                    {"Access-Control-Allow-Headers", "*"},
                    {"Access-Control-Max-Age", "600"}};
        exchange->respond(204, headers, {});
        return;
    }
    if (request.path == "/healthz") {
        respondJson(exchange, 200, m_services.paused ? R"({"status":"paused"})" : R"({"status":"ok"})", cors);
        return;
    }
    if (request.path == "/metrics" && request.method == "GET" && m_services.metricsText) {
        exchange->respond(200, {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}},
                          m_services.metricsText());
        return;
    }
    if (endpoint == Endpoint::Unknown) {
        respondError(exchange, format, ErrorKind::NotFound, QStringLiteral("no such endpoint"), cors);
        return;
    }
    if (!methodAllowed(endpoint, request.method)) {
        http::HeaderList headers = cors;
        headers.append(http::Header {"Allow", endpoint == Endpoint::Models ? "GET" : "POST"});
        respondError(exchange, format, ErrorKind::MethodNotAllowed,
                     QStringLiteral("method %1 is not allowed here").arg(QLatin1StringView(request.method)), headers);
        return;
    }
    handleApi(exchange, state, received);
}

void Gateway::handleApi(http::HttpExchange *exchange, const std::shared_ptr<const GatewayState> &snapshot,
                        QElapsedTimer received)
{
    const GatewayState &state = *snapshot;
    const http::HttpRequest &request = exchange->request();
    const Endpoint endpoint = providers::endpointForPath(request.path);
    const WireFormat format = callerFormat(request, endpoint);
    const http::HeaderList cors = corsHeaders(state.config(), request);

    UsageRecord record;
    record.startedAt = Clock::instance().nowUtc();
    record.endpoint = QString::fromLatin1(request.path);
    auto reject = [&](ErrorKind kind, const QString &message, http::HeaderList extra = {}) {
        respondError(exchange, format, kind, message, cors + extra);
        record.status = providers::httpStatus(kind);
        record.outcome = Outcome::Rejected;
        record.latencyMs = received.elapsed();
        m_services.usage.record(record);
    };

    // Read before anything can refuse it, so every row of a refusal keeps what users filter
    // by: the model asked for and the stream flag (never anything else of the body).
    std::optional<Result<providers::JsonBody>> body;
    QString model;
    if (endpoint != Endpoint::Models) {
        body = providers::JsonBody::parse(request.body);
        if (*body) {
            model = (*body)->string("model");
            nameRequestedModel(state, model, record);
            record.streamed = (*body)->boolean("stream").value_or(false);
        }
    }

    if (state.config().requireClientKey) {
        const std::optional<QString> client = state.clientForKey(presentedKey(request));
        if (!client) {
            reject(ErrorKind::Authentication,
                   presentedKey(request).isEmpty()
                       ? QStringLiteral("missing client key: send it as 'Authorization: Bearer sy-...' or 'x-api-key'")
                       : QStringLiteral("invalid client key"));
            return;
        }
        record.client = *client;
    }
    if (m_services.paused.load(std::memory_order_relaxed)) {
        reject(ErrorKind::Unavailable, QStringLiteral("Switchyard is paused; resume it from the window or tray"));
        return;
    }

    if (endpoint == Endpoint::Models) {
        // A provider's first list may still be on its way: wait for it, briefly, on this
        // thread's event loop.
        const ModelCatalog &catalog = m_services.models;
        catalog.whenListed(exchange, int(ModelCatalog::kFirstListWaitMs - received.elapsed()),
                           [exchange, snapshot, format, cors, &catalog] {
                               respondJson(exchange, 200, ModelsList::json(*snapshot, *catalog.listing(), format),
                                           cors);
                           });
        return;
    }

    if (!*body) {
        reject(ErrorKind::InvalidRequest, body->error());
        return;
    }
    if (model.isEmpty()) {
        reject(ErrorKind::InvalidRequest, QStringLiteral("'model' is required"));
        return;
    }
    RouteDecision route = Router::resolve(state, m_services.routeStats, endpoint, model);
    if (!route.ok()) {
        reject(route.errorKind, route.error);
        return;
    }
    // A target whose keys all rest after a 429 for its model goes after those that can take it.
    m_services.keyRotation.preferAwake(route.targets, record.startedAt.toMSecsSinceEpoch());
    record.route = route.route ? route.route->model : QString();

    ProxyCall::Plan plan;
    for (const RouteTarget &target : route.targets) {
        if (!target.translate) {
            plan.attempts.append(attempt(request, endpoint, (*body).value(), target, state.config(), record.streamed));
            continue;
        }
        Result<ProxyCall::Attempt> translated = translatedAttempt(request, (*body).value(), target, state.config());
        if (!translated) {
            reject(ErrorKind::InvalidRequest, translated.error());
            return;
        }
        plan.attempts.append(std::move(translated).value());
    }
    if (route.route) {
        plan.fallback = true;
        plan.retryOn = route.route->retryOn;
        plan.maxRetryAfterMs = route.route->maxRetryAfterMs;
    }
    plan.endpoint = endpoint;
    plan.callerFormat = format;
    plan.extraResponseHeaders = cors;
    plan.state = snapshot;
    plan.stats = &m_services.routeStats;
    plan.keys = &m_services.keyRotation;
    plan.limiter = &m_services.limiter;
    plan.estimatedTokens = qMax<qint64>(1, request.body.size() / 4); // about 4 bytes a token

    // Limits and budgets count against the first target; fallbacks ride on its admission.
    const RouteTarget &first = route.targets.first();
    // A refusal under the limits is recorded against the target they counted.
    record.provider = first.provider->config.id;
    record.model = first.upstreamModel;
    auto admission = std::make_shared<Admission>();
    admission->key = {record.client, first.provider->config.id, first.upstreamModel, {}};
    if (!config::isLoopback(state.config().listenAddress))
        admission->key.address = exchange->peerAddress(); // in memory only: never stored or logged
    admission->estimatedCostMicroUsd
        = state.prices()
              .costMicroUsd(first.provider->config.id, first.upstreamModel, {plan.estimatedTokens, 0, 0, 0},
                            plan.attempts.first().usageConvention, record.startedAt)
              .value_or(0);
    admission->maxWaitMs = state.config().limitQueueMs;
    admission->record = std::move(record);
    admission->plan = std::move(plan);
    admission->received = received;
    admit(exchange, std::move(admission));
}

void Gateway::admit(QPointer<http::HttpExchange> exchange, std::shared_ptr<Admission> admission)
{
    UsageRecord &record = admission->record;
    const ProxyCall::Plan &plan = admission->plan;
    auto finish = [&](Outcome outcome, int status) {
        record.status = status;
        record.outcome = outcome;
        record.latencyMs = admission->received.elapsed();
        m_services.usage.record(record);
    };
    if (!exchange) { // the client left while waiting
        finish(Outcome::ClientDisconnected, 0);
        return;
    }
    auto reject = [&](const QString &message, qint64 retryAfterSeconds) {
        http::HeaderList headers = plan.extraResponseHeaders;
        headers.append({"Retry-After", QByteArray::number(retryAfterSeconds)});
        respondError(exchange, plan.callerFormat, ErrorKind::RateLimited, message, headers);
        finish(Outcome::Rejected, providers::httpStatus(ErrorKind::RateLimited));
    };

    const qint64 nowMs = Clock::instance().nowUtc().toMSecsSinceEpoch();
    limits::RateLimiter::Decision admitted = m_services.limiter.admit(admission->key, plan.estimatedTokens, nowMs);
    if (!admitted.admitted()) {
        if (admission->received.elapsed() + admitted.retryAfterMs <= admission->maxWaitMs) {
            // Polled rather than woken: a slot freed by another thread is seen within a step.
            constexpr qint64 kPollMs = 250;
            QTimer::singleShot(int(qBound<qint64>(1, admitted.retryAfterMs, kPollMs)), this,
                               [this, exchange, admission] { admit(exchange, admission); });
            return;
        }
        const qint64 seconds = (admitted.retryAfterMs + 999) / 1000;
        reject(QStringLiteral("rate limit reached (%1); retry in %2 s").arg(admitted.refusedBy).arg(seconds), seconds);
        return;
    }
    limits::BudgetTracker::Decision budget
        = m_services.budgets.admit(record.client, admission->estimatedCostMicroUsd, record.startedAt);
    if (!budget.admitted()) { // budgets are never waited for: the period turns in hours
        admitted.ticket->refund(); // refused by the gateway itself: it takes nothing from the limits
        reject(QStringLiteral("over %1").arg(budget.refusedBy), budget.retryAfterSeconds);
        return;
    }
    ProxyCall::Plan ready = std::move(admission->plan);
    ready.limitTicket = std::move(admitted.ticket);
    ready.budget = std::move(budget.reservation);
    auto *call = new ProxyCall(exchange, m_pool, m_services.usage, std::move(record), std::move(ready),
                               admission->received, this);
    // A call deletes itself once it has completed (or goes with this gateway).
    m_services.inFlight.fetch_add(1, std::memory_order_relaxed);
    connect(call, &QObject::destroyed, this,
            [inFlight = &m_services.inFlight] { inFlight->fetch_sub(1, std::memory_order_relaxed); });
    call->start();
}

} // namespace sy::gateway
