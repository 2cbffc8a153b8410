// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include "http/requesthandler.h"
#include "providers/wireformat.h"
#include "upstream/upstreampool.h"

namespace sy {
class UsageSink;
}
namespace sy::limits {
class BudgetTracker;
class RateLimiter;
} // namespace sy::limits

namespace sy::gateway {

class GatewayState;
class LiveState;
class KeyRotation;
class RouteStats;

// What every gateway thread shares.
struct GatewayServices
{
    const LiveState &state;
    UsageSink &usage;
    RouteStats &routeStats;
    KeyRotation &keyRotation;
    limits::RateLimiter &limiter;
    limits::BudgetTracker &budgets;
    std::function<QByteArray()> metricsText; // GET /metrics; may be empty
    const std::atomic<bool> &paused; // new API requests get 503 while set
    std::atomic<qint64> &inFlight; // ProxyCalls started and not yet finished
};

// The request pipeline of one gateway thread: guard → authenticate → route → forward.
// Errors the gateway makes itself are in the caller's wire format, so SDKs raise the
// right error class.
class Gateway final : public QObject, public http::RequestHandler
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Gateway)

public:
    explicit Gateway(GatewayServices services, QObject *parent = nullptr);
    ~Gateway() override;

    void handle(http::HttpExchange *exchange) override;

private:
    struct Admission;

    void handleApi(http::HttpExchange *exchange, const std::shared_ptr<const GatewayState> &state,
                   QElapsedTimer received);
    // Rate limits, then budgets, then the call. Over a rate limit the request waits (on this
    // thread's event loop, polling) while limit_queue_ms allows, else gets a 429.
    void admit(QPointer<http::HttpExchange> exchange, std::shared_ptr<Admission> admission);

    GatewayServices m_services;
    upstream::UpstreamPool m_pool;
};

} // namespace sy::gateway
