// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

#include "limitsconfig.h"
#include "tokenbucket.h"

namespace sy::limits {

// What a request is counted against.
struct RequestKey
{
    QString client;
    QString provider;
    QString model;
    QString address; // empty unless listening beyond loopback; used in memory only
    QString providerKey; // "provider/label": set when a key of the pool is chosen
};

// Requests per minute, tokens per minute and requests at once, per client key, provider,
// model and remote address. Shared by all gateway threads; a config reload keeps the
// levels of limits that stay.
class RateLimiter
{
public:
    // Held while a request runs: completing it corrects the token estimate and frees its
    // concurrency slot. Dropping it without completing frees the slot too.
    class Ticket
    {
    public:
        ~Ticket();
        void complete(std::optional<qint64> actualTokens);
        // The gateway refused the request itself after admitting it (no usable provider
        // key): the request and its estimated tokens go back, as if never admitted.
        void refund();

    private:
        friend class RateLimiter;
        RateLimiter *m_limiter = nullptr;
        QList<QString> m_keys;
        qint64 m_estimate = 0;
        bool m_done = false;
    };

    struct Decision
    {
        std::shared_ptr<Ticket> ticket; // set when admitted
        qint64 retryAfterMs = 0;
        QString refusedBy; // e.g. "client 'agent-1': 60 requests per minute"
        bool admitted() const { return ticket != nullptr; }
    };

    // Where one kind of a configured limit stands, for a window: a copy.
    struct Level
    {
        enum class Kind { Rpm, Tpm, Concurrency };
        Scope scope = Scope::Client;
        QString name; // per-address buckets: the address (shown, never stored); none yet: empty
        Kind kind = Kind::Rpm;
        qint64 limit = 0; // per minute, or at once
        // rpm, tpm: what the minute's bucket lacks, in whole requests or tokens (a token
        // correction may push it past the limit); concurrency: requests in flight.
        qint64 used = 0;
        // > 0 when a request now would be refused by this kind: until one request (rpm) or
        // one token (tpm) fits again, or the second admit() tells clients at a full
        // concurrency limit.
        qint64 retryAfterMs = 0;
    };

    void configure(const QList<RateLimit> &limits);
    bool limitsProviderKeys() const; // any provider_key limit configured
    Decision admit(const RequestKey &key, qint64 estimatedTokens, qint64 nowMs);
    // Every configured limit's kinds, in config order; limits nothing has touched yet stand
    // at zero. One short critical section: gateway threads wait no longer than for an admit().
    QList<Level> levels(qint64 nowMs);

private:
    struct State
    {
        RateLimit limit;
        std::optional<TokenBucket> requests;
        std::optional<TokenBucket> tokens;
        int inFlight = 0;
    };

    void release(const QList<QString> &keys, qint64 tokenCorrection, qint64 requestCorrection, qint64 nowMs);

    mutable QMutex m_mutex;
    QList<RateLimit> m_limits;
    QHash<QString, State> m_states; // "scope\nname"
};

} // namespace sy::limits
