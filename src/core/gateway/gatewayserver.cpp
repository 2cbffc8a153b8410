// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "gatewayserver.h"

#include "common/clock.h"
#include "gateway.h"
#include "http/httpserver.h"

namespace sy::gateway {

GatewayServer::GatewayServer(std::shared_ptr<const GatewayState> state, UsageSink &usage,
                             std::function<QByteArray()> metricsText, QObject *parent)
    : QObject(parent), m_state(std::move(state))
{
    const config::Config &config = m_state.snapshot()->config();
    m_limiter.configure(config.limits.limits);
    m_budgets.configure(config.limits.budgets);
    GatewayServices services {m_state,   usage,    m_routeStats,           m_keyRotation, m_limiter,
                              m_budgets, m_models, std::move(metricsText), m_paused,      m_inFlight};
    auto factory
        = [services]() -> std::unique_ptr<http::RequestHandler> { return std::make_unique<Gateway>(services); };
    m_server = std::make_unique<http::HttpServer>(
        factory,
        http::HttpConnection::Limits {config.maxBodyBytes, config.maxHeaderBytes, config.headerTimeoutMs,
                                      config.bodyTimeoutMs, config.idleTimeoutMs},
        config.workerThreads);
    connect(m_server.get(), &http::HttpServer::stopped, this, &GatewayServer::stopped);
}

GatewayServer::~GatewayServer() = default;

Status GatewayServer::listen()
{
    const config::Config &config = m_state.snapshot()->config();
    if (!m_server->listen(config.listenAddress, config.listenPort))
        return Status::failure(QStringLiteral("cannot listen on %1:%2: %3")
                                   .arg(config.listenAddress.toString())
                                   .arg(config.listenPort)
                                   .arg(m_server->errorString()));
    m_models.start(m_state.snapshot());
    return success();
}

QHostAddress GatewayServer::address() const
{
    return m_server->serverAddress();
}

quint16 GatewayServer::port() const
{
    return m_server->serverPort();
}

QString GatewayServer::url() const
{
    const QHostAddress host = address();
    const QString name
        = host.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + host.toString() + u']' : host.toString();
    return QStringLiteral("http://%1:%2").arg(name).arg(port());
}

void GatewayServer::reload(std::shared_ptr<const GatewayState> state)
{
    m_limiter.configure(state->config().limits.limits);
    m_budgets.configure(state->config().limits.budgets);
    m_models.reload(state);
    m_state.replace(std::move(state));
}

GatewaySnapshot GatewayServer::snapshot()
{
    return GatewaySnapshot::take(m_limiter, m_budgets, m_keyRotation, m_routeStats, Clock::instance().nowUtc());
}

void GatewayServer::shutdown()
{
    m_models.stop();
    m_server->shutdown(m_state.snapshot()->config().shutdownGraceMs);
}

} // namespace sy::gateway
