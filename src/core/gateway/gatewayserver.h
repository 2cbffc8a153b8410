// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include <QHostAddress>
#include <QObject>

#include "common/result.h"
#include "gatewaysnapshot.h"
#include "keyrotation.h"
#include "limits/budgettracker.h"
#include "limits/ratelimiter.h"
#include "livestate.h"
#include "modelcatalog.h"
#include "routestats.h"

namespace sy {
class UsageSink;
}
namespace sy::http {
class HttpServer;
}

namespace sy::gateway {

// The gateway as one object: the listener, its worker threads, and the live state they
// share. What serve and the GUI start, and what integration tests run in-process.
class GatewayServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayServer)

public:
    GatewayServer(std::shared_ptr<const GatewayState> state, UsageSink &usage,
                  std::function<QByteArray()> metricsText = {}, QObject *parent = nullptr);
    ~GatewayServer() override;

    Status listen(); // on the config's listen address
    QHostAddress address() const;
    quint16 port() const;
    QString url() const; // http://HOST:PORT

    // Applies a new state to the next requests; requests in flight keep the old one.
    // The listen address, worker threads and request size limits apply at the next start.
    void reload(std::shared_ptr<const GatewayState> state);
    // Stops accepting and lets in-flight requests finish (up to the configured grace).
    void shutdown();

    // While paused, new API requests get 503 in the caller's wire format; requests in flight
    // finish and /healthz still answers. Any thread.
    void setPaused(bool paused) { m_paused.store(paused, std::memory_order_relaxed); }
    bool isPaused() const { return m_paused.load(std::memory_order_relaxed); }
    // Requests forwarded upstream and not yet finished. Any thread.
    qint64 requestsInFlight() const { return m_inFlight.load(std::memory_order_relaxed); }

    // Spend recorded before this start (from the usage store), so budgets hold across restarts.
    limits::BudgetTracker &budgets() { return m_budgets; }
    // Limits, budgets, resting keys and route targets as they stand now (the injectable
    // clock's now): a copy, each part taken under its own short lock. Any thread.
    GatewaySnapshot snapshot();
    // The providers' own model lists; started by listen(), refreshed by reload().
    ModelCatalog &modelCatalog() { return m_models; }

signals:
    void stopped();

private:
    LiveState m_state;
    RouteStats m_routeStats;
    KeyRotation m_keyRotation;
    limits::RateLimiter m_limiter; // before m_server: tickets of requests in flight refer to them
    limits::BudgetTracker m_budgets;
    ModelCatalog m_models; // before m_server: requests waiting for a list refer to it
    std::atomic<bool> m_paused {false};
    std::atomic<qint64> m_inFlight {0};
    std::unique_ptr<http::HttpServer> m_server;
};

} // namespace sy::gateway
