// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include "common/tokenusage.h"
#include "common/usagerecord.h"
#include "http/headers.h"
#include "keyrotation.h"
#include "limits/budgettracker.h"
#include "limits/ratelimiter.h"
#include "providers/endpoint.h"
#include "providers/responsetap.h"
#include "providers/wireformat.h"
#include "translate/translation.h"
#include "upstream/upstreamrequest.h"

namespace sy {
class UsageSink;
}
namespace sy::http {
class HttpExchange;
}
namespace sy::secrets {
struct ProviderKey;
}
namespace sy::translate {
class ResponseTranslator;
}
namespace sy::upstream {
class UpstreamCall;
class UpstreamPool;
} // namespace sy::upstream

namespace sy::gateway {

class GatewayState;
class RouteStats;
struct ProviderRuntime;

// One request forwarded upstream: tries its targets in order until one answers (only
// before the first byte reaches the client), relays the response as it arrives, reads
// usage from it on the way, and records the metadata when it ends, whichever way it ends.
class ProxyCall final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProxyCall)

public:
    // One target's request, ready to send.
    struct Attempt
    {
        upstream::UpstreamRequest request; // without the provider's key: added when sent
        const ProviderRuntime *runtime = nullptr; // owned by Plan::state
        QString keyLabel; // pins one key of the pool; empty: any
        QString provider;
        QString model;
        bool hideInjectedUsage = false; // the gateway added stream_options.include_usage
        CacheConvention usageConvention = CacheConvention::InputIncludesCached;
        // Set when the provider speaks another format: the request was rebuilt for it and
        // its answer is translated back (translate::ResponseTranslator). Null: bytes pass as they are.
        std::shared_ptr<const translate::Translation> translation;
    };

    struct Plan
    {
        QList<Attempt> attempts; // more than one only for routes
        bool fallback = false; // move on (or retry) on the failures below
        QList<int> retryOn; // upstream statuses that move on
        int maxRetryAfterMs = 0; // a shorter Retry-After retries the same target once
        providers::Endpoint endpoint = providers::Endpoint::Unknown;
        providers::WireFormat callerFormat = providers::WireFormat::OpenAI;
        http::HeaderList extraResponseHeaders; // e.g. CORS
        std::shared_ptr<const GatewayState> state; // prices; kept alive while the call runs
        RouteStats *stats = nullptr;
        KeyRotation *keys = nullptr;
        limits::RateLimiter *limiter = nullptr; // for provider_key limits, checked as a key is chosen
        qint64 estimatedTokens = 0;
        std::shared_ptr<limits::RateLimiter::Ticket> limitTicket; // settled with the real token count
        std::shared_ptr<limits::BudgetTracker::Reservation> budget; // settled with the real cost
    };

    ProxyCall(http::HttpExchange *exchange, upstream::UpstreamPool &pool, UsageSink &sink, UsageRecord record,
              Plan plan, QElapsedTimer received, QObject *parent = nullptr);
    ~ProxyCall() override;

    void start();

private:
    void startAttempt();
    bool moveOn(std::optional<qint64> retryAfterMs); // false: nothing left to try
    // After a 429: rests the key for this model and, if another key is awake for it, retries there.
    bool tryAnotherKey(int status, std::optional<qint64> retryAfterMs);

    struct KeyPick
    {
        const secrets::ProviderKey *key = nullptr; // null: none of the pool's keys may be used
        qint64 retryAfterMs = 0; // then: when one is within its provider_key limits again; 0: no such key
    };
    // The key for this attempt, in KeyRotation's order (awake ones first, then the one that
    // wakes soonest), passing over keys at their provider_key limits. `awakeOnly`: only keys
    // that are awake for the model and not yet tried by this attempt.
    KeyPick pickKey(const Attempt &attempt, bool awakeOnly);
    void respondLocally(providers::ErrorKind kind, const QString &message, http::HeaderList headers, Outcome outcome);
    void onResponseStarted(int status, const http::HeaderList &headers, qint64 contentLength);
    void onBodyReceived(QByteArrayView data);
    void onFinished();
    void onFailed(upstream::UpstreamError error, bool responseHadStarted);
    void onClientGone();
    // The translated path (another format upstream); see translate::ResponseTranslator.
    void beginTranslated(int status, const http::HeaderList &headers);
    void finishTranslated();
    void onDrained();
    void forward(QByteArrayView data);
    void dropCall();
    void complete(Outcome outcome);

    QPointer<http::HttpExchange> m_exchange;
    upstream::UpstreamPool &m_pool;
    UsageSink &m_sink;
    UsageRecord m_record;
    Plan m_plan;
    QElapsedTimer m_received;
    qsizetype m_attempt = 0;
    bool m_retriedSameTarget = false;
    QString m_keyLabel; // the key of the attempt in flight
    QList<QString> m_triedKeys; // keys this attempt has sent to (a 429 moves on to another one once)
    // The key the next start takes without choosing: a retry in place after a short
    // Retry-After keeps its key; a retry after a 429 has picked an awake one already.
    const secrets::ProviderKey *m_presetKey = nullptr;
    std::shared_ptr<limits::RateLimiter::Ticket> m_keyTicket; // the chosen key's provider_key limits
    upstream::UpstreamCall *m_call = nullptr;
    std::optional<providers::ResponseTap> m_tap;
    std::unique_ptr<translate::ResponseTranslator> m_translator;
    QByteArray m_transformed;
    bool m_paused = false;
    bool m_completed = false;
};

} // namespace sy::gateway
