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

    void configure(const QList<RateLimit> &limits);
    bool limitsProviderKeys() const; // any provider_key limit configured
    Decision admit(const RequestKey &key, qint64 estimatedTokens, qint64 nowMs);

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
