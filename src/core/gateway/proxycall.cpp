// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "proxycall.h"

#include <limits>

#include <QTimer>

#include "common/clock.h"
#include "common/usagesink.h"
#include "gatewaylog.h"
#include "gatewaystate.h"
#include "http/httpexchange.h"
#include "keyrotation.h"
#include "routestats.h"
#include "translate/responsetranslator.h"
#include "upstream/upstreamcall.h"

namespace sy::gateway {

using providers::ErrorKind;

namespace {

// Retry-After in seconds (RFC 9110), or OpenAI's retry-after-ms; HTTP dates count as long.
std::optional<qint64> retryAfterMs(const http::HeaderList &headers)
{
    bool ok = false;
    const qint64 ms = http::headerValue(headers, "retry-after-ms").toLongLong(&ok);
    if (ok && ms >= 0)
        return ms;
    const double seconds = http::headerValue(headers, "retry-after").toDouble(&ok);
    if (ok && seconds >= 0)
        return qint64(seconds * 1000);
    return std::nullopt;
}

} // namespace

ProxyCall::ProxyCall(http::HttpExchange *exchange, upstream::UpstreamPool &pool, UsageSink &sink, UsageRecord record,
                     Plan plan, QElapsedTimer received, QObject *parent)
    : QObject(parent), m_exchange(exchange), m_pool(pool), m_sink(sink), m_record(std::move(record)),
      m_plan(std::move(plan)), m_received(received)
{
    connect(exchange, &http::HttpExchange::clientGone, this, &ProxyCall::onClientGone);
    connect(exchange, &http::HttpExchange::drained, this, &ProxyCall::onDrained);
}

ProxyCall::~ProxyCall() = default;

void ProxyCall::start()
{
    startAttempt();
}

void ProxyCall::startAttempt()
{
    if (m_completed)
        return;
    const Attempt &attempt = m_plan.attempts.at(m_attempt);
    m_record.provider = attempt.provider;
    m_record.model = attempt.model;
    upstream::UpstreamRequest request = attempt.request;
    const ProviderRuntime &provider = *attempt.runtime;
    m_keyLabel.clear();
    if (!provider.keys.isEmpty() || !attempt.keyLabel.isEmpty()) {
        const secrets::ProviderKey *key = std::exchange(m_presetKey, nullptr);
        if (!key) {
            const KeyPick pick = pickKey(attempt, false);
            key = pick.key;
            if (!key) {
                if (moveOn(std::nullopt))
                    return;
                if (pick.retryAfterMs <= 0) {
                    respondLocally(ErrorKind::Authentication,
                                   QStringLiteral("provider '%1' has no key labelled '%2'")
                                       .arg(provider.config.id, attempt.keyLabel),
                                   {}, Outcome::Rejected);
                    return;
                }
                // Only limits the user configured refuse here; a resting key never does.
                const qint64 seconds = (pick.retryAfterMs + 999) / 1000;
                respondLocally(ErrorKind::RateLimited,
                               QStringLiteral("every key of provider '%1' is at its provider_key limits; retry in %2 s")
                                   .arg(provider.config.id)
                                   .arg(seconds),
                               {{"Retry-After", QByteArray::number(seconds)}}, Outcome::Rejected);
                return;
            }
        }
        m_keyLabel = key->label;
        if (!m_triedKeys.contains(m_keyLabel))
            m_triedKeys.append(m_keyLabel);
        if (provider.format == providers::WireFormat::Anthropic)
            request.headers.append(http::Header {"x-api-key", key->secret});
        else
            request.headers.append(http::Header {"Authorization", "Bearer " + key->secret});
    } else if (provider.requiresKey) {
        if (moveOn(std::nullopt))
            return;
        respondLocally(
            ErrorKind::Authentication,
            QStringLiteral("Switchyard has no API key for provider '%1': run `switchyard provider-key set %1`%2")
                .arg(provider.config.id,
                     provider.config.apiKeyEnv.isEmpty() ? QString()
                                                         : QStringLiteral(" or set $") + provider.config.apiKeyEnv),
            {}, Outcome::Rejected);
        return;
    }
    m_call = new upstream::UpstreamCall(m_pool, request, this);
    connect(m_call, &upstream::UpstreamCall::responseStarted, this, &ProxyCall::onResponseStarted);
    connect(m_call, &upstream::UpstreamCall::bodyReceived, this, &ProxyCall::onBodyReceived);
    connect(m_call, &upstream::UpstreamCall::finished, this, &ProxyCall::onFinished);
    connect(m_call, &upstream::UpstreamCall::failed, this, &ProxyCall::onFailed);
    m_call->start();
}

void ProxyCall::dropCall()
{
    if (!m_call)
        return;
    m_call->abort();
    m_call->deleteLater(); // we may be inside one of its signals
    m_call = nullptr;
}

bool ProxyCall::moveOn(std::optional<qint64> retryAfter)
{
    if (!m_plan.fallback)
        return false;
    const bool sameAgain = retryAfter && *retryAfter <= m_plan.maxRetryAfterMs && !m_retriedSameTarget;
    if (!sameAgain && m_attempt + 1 >= m_plan.attempts.size())
        return false;
    dropCall();
    ++m_record.attempts;
    if (sameAgain) {
        m_retriedSameTarget = true;
        // The key waited for its own Retry-After: that one, even though it still rests.
        const ProviderRuntime &provider = *m_plan.attempts.at(m_attempt).runtime;
        for (const secrets::ProviderKey &key : provider.keys) {
            if (!m_keyLabel.isEmpty() && key.label == m_keyLabel)
                m_presetKey = &key;
        }
        qCInfo(lcGateway).noquote() << "retrying" << m_record.provider << "after" << *retryAfter << "ms";
        QTimer::singleShot(int(*retryAfter), this, &ProxyCall::startAttempt);
        return true;
    }
    qCInfo(lcGateway).noquote() << "falling back from" << m_record.provider;
    ++m_attempt;
    m_retriedSameTarget = false;
    m_triedKeys.clear();
    m_presetKey = nullptr;
    startAttempt();
    return true;
}

ProxyCall::KeyPick ProxyCall::pickKey(const Attempt &attempt, bool awakeOnly)
{
    const qint64 nowMs = Clock::instance().nowUtc().toMSecsSinceEpoch();
    m_keyTicket.reset(); // each key takes its own turn under its own limits
    const bool keyLimits = m_plan.limiter && m_plan.limiter->limitsProviderKeys();
    qint64 retryAfterMs = std::numeric_limits<qint64>::max();
    const QList<KeyRotation::Candidate> candidates
        = m_plan.keys->candidates(*attempt.runtime, attempt.keyLabel, attempt.model, nowMs);
    for (const KeyRotation::Candidate &candidate : candidates) {
        if (awakeOnly && (candidate.restsUntilMs > nowMs || m_triedKeys.contains(candidate.key->label)))
            continue;
        if (!keyLimits)
            return {candidate.key, 0};
        // A key over its own limits is passed over; the earliest time one frees up is what
        // the client is told if none is left.
        limits::RequestKey key;
        key.providerKey = attempt.provider + u'/' + candidate.key->label;
        limits::RateLimiter::Decision admitted = m_plan.limiter->admit(key, m_plan.estimatedTokens, nowMs);
        if (admitted.admitted()) {
            m_keyTicket = std::move(admitted.ticket);
            return {candidate.key, 0};
        }
        retryAfterMs = qMin(retryAfterMs, qMax<qint64>(1, admitted.retryAfterMs));
    }
    return {nullptr, retryAfterMs == std::numeric_limits<qint64>::max() ? 0 : retryAfterMs};
}

// A 429 rests the key that got it, for this model only; another key of the same provider
// that is awake for the model gets the request at once, before any other target or a wait.
bool ProxyCall::tryAnotherKey(int status, std::optional<qint64> retryAfter)
{
    if (status != 429)
        return false;
    const Attempt &attempt = m_plan.attempts.at(m_attempt);
    const qint64 nowMs = Clock::instance().nowUtc().toMSecsSinceEpoch();
    m_plan.keys->rest(attempt.provider, m_keyLabel, attempt.model, nowMs,
                      retryAfter.value_or(KeyRotation::kDefaultRestMs));
    qCInfo(lcGateway).noquote() << "key" << (m_keyLabel.isEmpty() ? QStringLiteral("(none)") : m_keyLabel) << "of"
                                << attempt.provider << "rests for" << attempt.model << "after a 429";
    if (m_keyLabel.isEmpty() || !attempt.keyLabel.isEmpty() || attempt.runtime->keys.size() < 2)
        return false;
    // Each key is tried once per attempt, so this ends when the awake keys are spent.
    const KeyPick pick = pickKey(attempt, true);
    if (!pick.key)
        return false;
    dropCall();
    ++m_record.attempts;
    m_presetKey = pick.key;
    startAttempt();
    return true;
}

void ProxyCall::onResponseStarted(int status, const http::HeaderList &headers, qint64 contentLength)
{
    if (m_plan.stats) {
        const Attempt &answered = m_plan.attempts.at(m_attempt);
        m_plan.stats->recordResponse(answered.provider, answered.model, status);
    }
    const std::optional<qint64> retryAfter = retryAfterMs(headers);
    if (tryAnotherKey(status, retryAfter))
        return;
    if (m_plan.retryOn.contains(status) && moveOn(retryAfter))
        return;
    const Attempt &attempt = m_plan.attempts.at(m_attempt);
    m_record.status = status;
    m_record.ttfbMs = m_received.elapsed();
    const bool eventStream = http::headerValue(headers, "content-type").startsWith("text/event-stream");
    m_record.streamed = m_record.streamed || eventStream;
    if (status >= 200 && status < 300) {
        // A translated call's usage is read from what the provider sent, in its own format.
        m_tap.emplace(attempt.translation ? providers::Endpoint::ChatCompletions : m_plan.endpoint, eventStream,
                      attempt.hideInjectedUsage);
        if (m_plan.stats)
            m_plan.stats->recordTtfb(attempt.provider, attempt.model, m_record.ttfbMs);
    }
    if (attempt.translation) {
        beginTranslated(status, headers);
        return;
    }

    http::HeaderList out;
    out.reserve(headers.size() + m_plan.extraResponseHeaders.size());
    for (const http::Header &header : headers) {
        if (!http::isHopByHop(header.name))
            out.append(header);
    }
    out += m_plan.extraResponseHeaders;
    // Re-framed only when the body changes on the way or its length is unknown.
    const bool keepLength = contentLength >= 0 && !(m_tap && m_tap->transforms());
    if (m_exchange)
        m_exchange->beginResponse(status, out, keepLength ? contentLength : -1);
}

void ProxyCall::beginTranslated(int status, const http::HeaderList &headers)
{
    m_translator
        = std::make_unique<translate::ResponseTranslator>(m_plan.attempts.at(m_attempt).translation, status, headers);
    if (!m_translator->streams())
        return; // answered whole at the end
    m_record.status = m_translator->status();
    if (m_exchange)
        m_exchange->beginResponse(m_record.status, m_translator->headers() + m_plan.extraResponseHeaders, -1);
}

void ProxyCall::finishTranslated()
{
    m_transformed.clear();
    const bool whole = m_translator->finish(m_transformed);
    if (m_translator->streams()) {
        forward(m_transformed);
        if (!whole) {
            // Cut off before its finish: the client saw an error event; never a clean end.
            if (m_exchange)
                m_exchange->abort();
            complete(Outcome::UpstreamTruncated);
            return;
        }
        if (m_exchange)
            m_exchange->end();
        complete(Outcome::Completed);
        return;
    }
    m_record.status = m_translator->status();
    if (m_exchange)
        m_exchange->respond(m_record.status, m_translator->headers() + m_plan.extraResponseHeaders, m_transformed);
    complete(whole ? Outcome::Completed : Outcome::UpstreamTruncated);
}

void ProxyCall::onBodyReceived(QByteArrayView data)
{
    if (m_translator) {
        if (m_tap)
            m_tap->feed(data, m_transformed);
        m_transformed.clear();
        m_translator->feed(data, m_transformed);
        forward(m_transformed);
        return;
    }
    if (!m_tap) {
        forward(data);
        return;
    }
    if (!m_tap->transforms()) {
        m_tap->feed(data, m_transformed);
        forward(data);
        return;
    }
    m_transformed.clear();
    m_tap->feed(data, m_transformed);
    forward(m_transformed);
}

void ProxyCall::forward(QByteArrayView data)
{
    if (!m_exchange || data.isEmpty())
        return;
    m_exchange->write(data);
    if (!m_paused && m_exchange->pendingBytes() > http::HttpExchange::kHighWaterBytes) {
        m_paused = true; // the client reads slower than the upstream sends: let TCP push back
        m_call->setReadPaused(true);
    }
}

void ProxyCall::onDrained()
{
    if (m_paused && m_call) {
        m_paused = false;
        m_call->setReadPaused(false);
    }
}

void ProxyCall::onFinished()
{
    if (m_translator) {
        if (m_tap)
            m_tap->finish(m_transformed);
        finishTranslated();
        return;
    }
    if (m_tap) {
        m_transformed.clear();
        m_tap->finish(m_transformed);
        forward(m_transformed);
    }
    if (m_exchange)
        m_exchange->end();
    complete(Outcome::Completed);
}

void ProxyCall::onFailed(upstream::UpstreamError error, bool responseHadStarted)
{
    if (m_plan.stats) {
        const Attempt &failed = m_plan.attempts.at(m_attempt);
        m_plan.stats->recordFailure(failed.provider, failed.model, responseHadStarted);
    }
    qCInfo(lcGateway).noquote() << "upstream" << m_record.provider << "failed:" << upstream::describe(error);
    if (responseHadStarted && m_translator && !m_translator->streams()) {
        // Nothing reached the client yet: it gets an error in its own format.
        respondLocally(ErrorKind::UpstreamUnavailable,
                       QStringLiteral("provider '%1': %2").arg(m_record.provider, upstream::describe(error)), {},
                       Outcome::UpstreamTruncated);
        return;
    }
    if (responseHadStarted) {
        if (m_translator) { // an error event first, so the SDK says what happened
            m_transformed.clear();
            m_translator->fail(m_transformed);
            forward(m_transformed);
        }
        // Cut the client off too: a complete-looking answer would hide the truncation.
        if (m_exchange)
            m_exchange->abort();
        complete(Outcome::UpstreamTruncated);
        return;
    }
    if (moveOn(std::nullopt))
        return;
    const bool timeout
        = error == upstream::UpstreamError::ConnectTimeout || error == upstream::UpstreamError::FirstByteTimeout;
    respondLocally(timeout ? ErrorKind::UpstreamTimeout : ErrorKind::UpstreamUnavailable,
                   QStringLiteral("provider '%1': %2").arg(m_record.provider, upstream::describe(error)), {},
                   Outcome::UpstreamFailed);
}

// An answer the gateway makes itself, before any upstream byte reached the client.
void ProxyCall::respondLocally(ErrorKind kind, const QString &message, http::HeaderList headers, Outcome outcome)
{
    m_record.status = providers::httpStatus(kind);
    if (m_exchange) {
        headers.prepend({"Content-Type", "application/json"});
        headers += m_plan.extraResponseHeaders;
        m_exchange->respond(m_record.status, headers, providers::errorBody(m_plan.callerFormat, kind, message));
    }
    complete(outcome);
}

void ProxyCall::onClientGone()
{
    dropCall();
    complete(Outcome::ClientDisconnected);
}

void ProxyCall::complete(Outcome outcome)
{
    if (m_completed)
        return;
    m_completed = true;
    m_record.outcome = outcome;
    m_record.latencyMs = m_received.elapsed();
    if (m_plan.stats && outcome == Outcome::Completed && m_record.status >= 200 && m_record.status < 300)
        m_plan.stats->recordLatency(m_record.provider, m_record.model, m_record.latencyMs);
    if (m_tap) {
        const TokenUsage usage = m_tap->usage();
        if (usage.known()) { // else every count stays unknown (-1), never 0
            m_record.inputTokens = usage.input;
            m_record.outputTokens = usage.output;
            m_record.cachedInputTokens = usage.cachedInput;
            m_record.cacheWriteTokens = usage.cacheWrite;
            m_record.reasoningTokens = usage.reasoning;
        }
        // Priced when the request ends, with the book of that moment (history keeps its cost)
        // and the prices in force when it started (announced changes, busy hours).
        m_record.costMicroUsd = m_plan.state->prices()
                                    .costMicroUsd(m_record.provider, m_record.model, usage,
                                                  m_plan.attempts.at(m_attempt).usageConvention, m_record.startedAt)
                                    .value_or(-1);
        m_record.priceBookVersion = m_plan.state->prices().version();
    }
    const bool known = m_record.inputTokens >= 0 && m_record.outputTokens >= 0;
    const std::optional<qint64> tokens
        = known ? std::optional<qint64>(m_record.inputTokens + m_record.outputTokens) : std::nullopt;
    for (const auto &ticket : {m_plan.limitTicket, m_keyTicket}) {
        if (ticket && outcome == Outcome::Rejected)
            ticket->refund(); // the gateway refused it itself: it takes nothing from the client's limits
        else if (ticket)
            ticket->complete(tokens);
    }
    if (m_plan.budget) // by its start, as the usage row and "today" count it
        m_plan.budget->settle(m_record.costMicroUsd,
                              m_record.startedAt.isValid() ? m_record.startedAt : Clock::instance().nowUtc());
    if (m_exchange && !m_exchange->isFinished())
        m_exchange->abort();
    m_sink.record(m_record);
    qCDebug(lcGateway).noquote() << m_record.endpoint << m_record.provider << m_record.model << m_record.status
                                 << m_record.latencyMs << "ms";
    deleteLater();
}

} // namespace sy::gateway
