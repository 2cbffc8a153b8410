// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "ratelimiter.h"

#include <algorithm>
#include <cmath>

#include "common/clock.h"

namespace sy::limits {

namespace {

QString stateKey(Scope scope, const QString &name)
{
    return scopeName(scope) + u'\n' + name;
}

QString describe(const RateLimit &limit, const QString &name, const char *what, qint64 amount)
{
    return QStringLiteral("%1 '%2': %3 %4").arg(scopeName(limit.scope), name).arg(amount).arg(QLatin1StringView(what));
}

// What a client at a full concurrency limit is told: a slot frees when any request ends.
constexpr qint64 kConcurrencyRetryMs = 1000;

} // namespace

RateLimiter::Ticket::~Ticket()
{
    complete(std::nullopt);
}

void RateLimiter::Ticket::complete(std::optional<qint64> actualTokens)
{
    if (m_done || !m_limiter)
        return;
    m_done = true;
    // Unknown usage keeps the estimate.
    const qint64 correction = actualTokens ? m_estimate - *actualTokens : 0;
    m_limiter->release(m_keys, correction, 0, Clock::instance().nowUtc().toMSecsSinceEpoch());
}

void RateLimiter::Ticket::refund()
{
    if (m_done || !m_limiter)
        return;
    m_done = true;
    m_limiter->release(m_keys, m_estimate, 1, Clock::instance().nowUtc().toMSecsSinceEpoch());
}

void RateLimiter::configure(const QList<RateLimit> &limits)
{
    QMutexLocker lock(&m_mutex);
    m_limits = limits;
    // Levels of limits that stay are kept; the rest are forgotten as requests finish.
    for (auto it = m_states.begin(); it != m_states.end();) {
        const bool kept = std::any_of(limits.begin(), limits.end(), [&](const RateLimit &limit) {
            return limit.scope == it->limit.scope && (limit.scope == Scope::Address || limit.name == it->limit.name)
                && limit.rpm == it->limit.rpm && limit.tpm == it->limit.tpm
                && limit.concurrency == it->limit.concurrency;
        });
        if (!kept && it->inFlight == 0)
            it = m_states.erase(it);
        else
            ++it;
    }
}

bool RateLimiter::limitsProviderKeys() const
{
    QMutexLocker lock(&m_mutex);
    return std::any_of(m_limits.cbegin(), m_limits.cend(),
                       [](const RateLimit &limit) { return limit.scope == Scope::ProviderKey; });
}

RateLimiter::Decision RateLimiter::admit(const RequestKey &key, qint64 estimatedTokens, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    Decision decision;
    QList<QString> keys;
    QList<State *> states;
    for (const RateLimit &limit : std::as_const(m_limits)) {
        QString name;
        switch (limit.scope) {
        case Scope::Client:
            name = key.client;
            break;
        case Scope::Provider:
            name = key.provider;
            break;
        case Scope::ProviderKey:
            name = key.providerKey;
            break;
        case Scope::Model:
            name = key.model;
            break;
        case Scope::Address:
            name = key.address;
            break;
        case Scope::Global:
            break;
        }
        if (name.isEmpty() || (limit.scope != Scope::Address && name != limit.name))
            continue;
        const QString k = stateKey(limit.scope, name);
        auto it = m_states.find(k);
        if (it == m_states.end()) {
            State state;
            state.limit = limit;
            if (limit.rpm > 0)
                state.requests.emplace(limit.rpm, nowMs);
            if (limit.tpm > 0)
                state.tokens.emplace(limit.tpm, nowMs);
            it = m_states.insert(k, state);
        }
        State &state = *it;
        // Check every limit before taking from any, so a refusal changes nothing.
        if (limit.concurrency > 0 && state.inFlight >= limit.concurrency) {
            decision.refusedBy = describe(limit, name, "requests at once", limit.concurrency);
            decision.retryAfterMs = std::max(decision.retryAfterMs, kConcurrencyRetryMs);
        } else if (state.requests && !state.requests->canTake(1, nowMs)) {
            decision.refusedBy = describe(limit, name, "requests per minute", limit.rpm);
            decision.retryAfterMs = std::max(decision.retryAfterMs, *state.requests->take(1, nowMs));
        } else if (state.tokens && !state.tokens->canTake(estimatedTokens, nowMs)) {
            decision.refusedBy = describe(limit, name, "tokens per minute", limit.tpm);
            decision.retryAfterMs = std::max(decision.retryAfterMs, *state.tokens->take(estimatedTokens, nowMs));
        }
        keys.append(k);
        states.append(&state);
    }
    if (!decision.refusedBy.isEmpty())
        return decision;
    for (State *state : std::as_const(states)) {
        if (state->requests)
            state->requests->take(1, nowMs);
        if (state->tokens)
            state->tokens->take(estimatedTokens, nowMs);
        ++state->inFlight;
    }
    auto ticket = std::make_shared<Ticket>();
    ticket->m_limiter = this;
    ticket->m_keys = keys;
    ticket->m_estimate = estimatedTokens;
    decision.ticket = std::move(ticket);
    return decision;
}

QList<RateLimiter::Level> RateLimiter::levels(qint64 nowMs)
{
    QList<Level> levels;
    QMutexLocker lock(&m_mutex);
    const auto add = [&](const RateLimit &limit, const QString &name, State *state) {
        const auto bucket = [&](Level::Kind kind, qint64 perMinute, std::optional<TokenBucket> *tokens) {
            Level level {limit.scope, name, kind, perMinute, 0, 0};
            if (state && *tokens) {
                // Whole units that fit now; the rest of the minute's allowance is used.
                level.used = perMinute - qint64(std::floor((*tokens)->level(nowMs)));
                level.retryAfterMs = (*tokens)->waitFor(1, nowMs);
            }
            levels.append(level);
        };
        if (limit.rpm > 0)
            bucket(Level::Kind::Rpm, limit.rpm, state ? &state->requests : nullptr);
        if (limit.tpm > 0)
            bucket(Level::Kind::Tpm, limit.tpm, state ? &state->tokens : nullptr);
        if (limit.concurrency > 0) {
            const int inFlight = state ? state->inFlight : 0;
            levels.append({limit.scope, name, Level::Kind::Concurrency, limit.concurrency, inFlight,
                           inFlight >= limit.concurrency ? kConcurrencyRetryMs : 0});
        }
    };
    for (const RateLimit &limit : std::as_const(m_limits)) {
        if (limit.scope != Scope::Address) {
            auto it = m_states.find(stateKey(limit.scope, limit.name));
            add(limit, limit.name, it == m_states.end() ? nullptr : &*it);
            continue;
        }
        // Every address has its own buckets: one entry each, by address.
        const QString prefix = stateKey(Scope::Address, QString());
        QList<QString> addresses;
        for (auto it = m_states.cbegin(); it != m_states.cend(); ++it) {
            if (it.key().startsWith(prefix))
                addresses.append(it.key());
        }
        std::sort(addresses.begin(), addresses.end());
        if (addresses.isEmpty())
            add(limit, QString(), nullptr);
        for (const QString &k : std::as_const(addresses))
            add(limit, k.mid(prefix.size()), &m_states[k]);
    }
    return levels;
}

void RateLimiter::release(const QList<QString> &keys, qint64 tokenCorrection, qint64 requestCorrection, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    for (const QString &k : keys) {
        auto it = m_states.find(k);
        if (it == m_states.end())
            continue;
        --it->inFlight;
        if (it->tokens && tokenCorrection != 0)
            it->tokens->adjust(tokenCorrection, nowMs);
        if (it->requests && requestCorrection != 0)
            it->requests->adjust(requestCorrection, nowMs);
    }
}

} // namespace sy::limits
