// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "gatewaylink.h"

#include <QJsonArray>

#include "common/usagerecord.h"
#include "controlprotocol.h"
#include "live/livefigures.h"
#include "live/recentrequests.h"
#include "logging.h"

namespace sy::control {

namespace {

store::UsageAggregate totalsFromJson(const QJsonObject &o)
{
    store::UsageAggregate totals;
    totals.requests = o.value(u"requests").toInteger();
    totals.errors = o.value(u"errors").toInteger();
    totals.inputTokens = o.value(u"input_tokens").toInteger();
    totals.outputTokens = o.value(u"output_tokens").toInteger();
    totals.cachedInputTokens = o.value(u"cached_input_tokens").toInteger();
    totals.costMicroUsd = o.value(u"cost_micro_usd").toInteger();
    totals.unpricedRequests = o.value(u"unpriced_requests").toInteger();
    return totals;
}

} // namespace

GatewayLink::GatewayLink(QObject *parent)
    : QObject(parent), m_figures(std::make_unique<live::LiveFigures>()),
      m_recent(std::make_unique<live::RecentRequests>())
{ }

GatewayLink::~GatewayLink() = default;

void GatewayLink::connectToDataDir(const QString &dataDir)
{
    reset();
    m_client = std::make_unique<ControlClient>();
    connect(m_client.get(), &ControlClient::connected, this, &GatewayLink::onConnected);
    connect(m_client.get(), &ControlClient::failed, this, &GatewayLink::onFailed);
    connect(m_client.get(), &ControlClient::replied, this, &GatewayLink::onReplied);
    connect(m_client.get(), &ControlClient::ticked, this, &GatewayLink::onTicked);
    connect(m_client.get(), &ControlClient::disconnected, this,
            [this] { onFailed(ControlClient::Error::Disconnected, tr("the gateway closed the control channel")); });
    m_client->connectToDataDir(dataDir);
}

void GatewayLink::disconnectFromGateway()
{
    reset();
}

void GatewayLink::reset()
{
    if (m_client) {
        m_client->disconnect(this);
        m_client.release()->deleteLater(); // may be inside one of its signals
    }
    m_pending.clear();
    m_linked = false;
    m_statusAsked = false;
    m_pid = 0;
    m_commands.clear();
}

void GatewayLink::send(const QString &command, const QJsonObject &fields)
{
    if (!m_client || !m_client->isConnected()) {
        emit commandRefused(command, tr("no gateway is linked"));
        return;
    }
    m_pending.insert(m_client->send(command, fields), command);
}

void GatewayLink::setPaused(bool paused)
{
    send(paused ? QStringLiteral("pause") : QStringLiteral("resume"));
}

void GatewayLink::prune()
{
    send(QStringLiteral("prune"));
}

void GatewayLink::raise()
{
    send(QStringLiteral("raise"));
}

void GatewayLink::onConnected()
{
    send(QStringLiteral("hello"));
}

void GatewayLink::onFailed(sy::control::ControlClient::Error error, const QString &reason)
{
    const bool wasLinked = m_linked;
    reset();
    if (wasLinked) {
        qCInfo(lcControl) << "the linked gateway went away:" << reason;
        emit unlinked();
    } else {
        emit linkFailed(error, reason);
    }
}

void GatewayLink::onReplied(const QJsonObject &reply)
{
    const QString command = m_pending.take(reply.value(u"id").toInteger());
    const bool ok = reply.value(u"ok").toBool();
    if (command == u"hello") {
        if (!ok || reply.value(u"app").toString() != u"switchyard") {
            onFailed(ControlClient::Error::Protocol, tr("the control channel answered, but not as Switchyard"));
            return;
        }
        m_pid = reply.value(u"pid").toInteger();
        m_commands.clear();
        for (const QJsonValue &name : reply.value(u"commands").toArray())
            m_commands.append(name.toString());
        // A new gateway: its hour starts afresh; the requests already shown stay.
        m_figures = std::make_unique<live::LiveFigures>();
        m_linked = true;
        send(QStringLiteral("subscribe"), {{QStringLiteral("requests"), m_recent->capacity()}});
        send(QStringLiteral("status"));
        m_statusAsked = true;
        emit linked();
    } else if (command == u"subscribe") {
        takeSeconds(reply.value(u"seconds").toArray());
        takeRequests(reply.value(u"requests").toArray());
    } else if (command == u"status") {
        m_statusAsked = false;
        if (ok)
            takeStatus(reply);
    } else if (command == u"pause" || command == u"resume") {
        if (!ok)
            emit commandRefused(command, reply.value(u"error").toString());
        if (reply.contains(u"paused") && reply.value(u"paused").toBool() != m_paused) {
            m_paused = reply.value(u"paused").toBool();
            emit statusChanged();
        }
        send(QStringLiteral("status")); // the state moved with it
        m_statusAsked = true;
    } else if (command == u"prune") {
        emit pruneAnswered(ok, reply.value(u"requests_removed").toInteger(), reply.value(u"error").toString());
    } else if (command == u"raise") {
        emit raiseAnswered(ok);
    } else if (!ok && !command.isEmpty()) {
        emit commandRefused(command, reply.value(u"error").toString());
    }
}

void GatewayLink::onTicked(const QJsonObject &event)
{
    takeSeconds(event.value(u"seconds").toArray());
    takeRequests(event.value(u"requests").toArray());
    // Once a second: the rest of the status (today, this month, the address) rides on a
    // status request, one at a time.
    if (!m_statusAsked) {
        send(QStringLiteral("status"));
        m_statusAsked = true;
    }
    bool changed = false;
    if (event.contains(u"state") && event.value(u"state").toString() != m_state) {
        m_state = event.value(u"state").toString();
        changed = true;
    }
    if (event.contains(u"paused") && event.value(u"paused").toBool() != m_paused) {
        m_paused = event.value(u"paused").toBool();
        changed = true;
    }
    if (event.contains(u"in_flight") && event.value(u"in_flight").toInteger() != m_inFlight) {
        m_inFlight = event.value(u"in_flight").toInteger();
        changed = true;
    }
    if (changed)
        emit statusChanged();
}

void GatewayLink::takeSeconds(const QJsonArray &seconds)
{
    for (const QJsonValue &second : seconds) {
        const QJsonObject object = second.toObject();
        m_figures->merge(object.value(u"t").toInteger(),
                         ControlProtocol::figuresFromJson(object.value(u"f").toObject()));
    }
}

void GatewayLink::takeRequests(const QJsonArray &newestFirst)
{
    for (qsizetype i = newestFirst.size() - 1; i >= 0; --i)
        m_recent->record(ControlProtocol::recordFromJson(newestFirst.at(i).toObject()));
}

void GatewayLink::takeStatus(const QJsonObject &status)
{
    m_hasStatus = true;
    m_state = status.value(u"state").toString();
    m_url = status.value(u"url").toString();
    m_paused = status.value(u"paused").toBool();
    m_inFlight = status.value(u"in_flight").toInteger();
    m_hasTotals = status.contains(u"today");
    if (m_hasTotals) {
        m_today = totalsFromJson(status.value(u"today").toObject());
        m_month = totalsFromJson(status.value(u"month").toObject());
    }
    emit statusChanged();
}

} // namespace sy::control
