// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "controlserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>

#include "common/calendar.h"
#include "common/clock.h"
#include "common/usagerecord.h"
#include "controlprotocol.h"
#include "live/livefigures.h"
#include "live/recentrequests.h"
#include "logging.h"

namespace sy::control {

namespace {

constexpr int kTickMs = 1000;

qint64 errorCount(const store::UsageAggregate &totals)
{
    return totals.errors;
}

qint64 errorCount(const live::Figures &figures)
{
    return figures.errors();
}

// The counters `status` reports for a span, from the store's totals or the live figures.
template<typename Totals>
QJsonObject summary(const Totals &f)
{
    return QJsonObject {
        {QStringLiteral("requests"), f.requests},
        {QStringLiteral("errors"), errorCount(f)},
        {QStringLiteral("input_tokens"), f.inputTokens},
        {QStringLiteral("output_tokens"), f.outputTokens},
        {QStringLiteral("cached_input_tokens"), f.cachedInputTokens},
        {QStringLiteral("cost_micro_usd"), f.costMicroUsd},
        {QStringLiteral("cost_usd"), double(f.costMicroUsd) / 1e6},
        {QStringLiteral("unpriced_requests"), f.unpricedRequests},
    };
}

QJsonObject failure(const QString &message)
{
    return QJsonObject {{QStringLiteral("ok"), false}, {QStringLiteral("error"), message}};
}

} // namespace

ControlServer::ControlServer(QString dataDir, Source source, QObject *parent)
    : QObject(parent), m_dataDir(std::move(dataDir)), m_source(std::move(source))
{
    m_ticker.setInterval(kTickMs);
    m_ticker.setTimerType(Qt::PreciseTimer);
    connect(&m_ticker, &QTimer::timeout, this, &ControlServer::onTick);
}

ControlServer::~ControlServer()
{
    close();
}

QString ControlServer::socketPath() const
{
    return ControlProtocol::socketPath(m_dataDir);
}

int ControlServer::subscriberCount() const
{
    return int(std::count_if(m_peers.begin(), m_peers.end(), [](const auto &peer) { return peer.second.subscribed; }));
}

Status ControlServer::listen()
{
    close();
    const QString path = socketPath();
    // A socket address holds about 100 bytes on Unix; say so rather than failing obscurely.
    if (QFile::encodeName(path).size() >= 100)
        return Status::failure(tr("the control socket path is too long for this system: %1").arg(path));
    QLocalServer::removeServer(path); // a crashed process's; the instance lock says none runs
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(m_server, &QLocalServer::newConnection, this, &ControlServer::onNewConnection);
    if (!m_server->listen(path)) {
        const QString reason = m_server->errorString();
        delete m_server;
        m_server = nullptr;
        return Status::failure(tr("cannot open the control socket %1: %2").arg(path, reason));
    }
    qCDebug(lcControl) << "control channel on" << path;
    return success();
}

void ControlServer::close()
{
    m_ticker.stop();
    // Subscribers get what happened since the last push (the gateway's last requests), so a
    // window attached to a serve that stops shows every request it served.
    const qint64 upTo = live::LiveFigures::nowSecond();
    for (auto &[socket, peer] : m_peers) {
        socket->disconnect(this);
        if (peer.subscribed && socket->state() == QLocalSocket::ConnectedState) {
            socket->write(ControlProtocol::encode(tick(peer, upTo)));
            socket->flush(); // into the kernel's buffer: the reader gets it after the close
        }
        socket->abort();
        socket->deleteLater();
    }
    m_peers.clear();
    if (m_server) {
        m_server->close(); // removes the socket file
        delete m_server;
        m_server = nullptr;
    }
}

void ControlServer::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        m_peers.emplace(socket, Peer());
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QLocalSocket::disconnected, this, [this, socket] {
            m_peers.erase(socket);
            socket->deleteLater();
            if (subscriberCount() == 0)
                m_ticker.stop();
        });
        emit clientConnected();
    }
}

void ControlServer::onReadyRead(QLocalSocket *socket)
{
    auto it = m_peers.find(socket);
    if (it == m_peers.end())
        return;
    Peer &peer = it->second;
    peer.buffer.append(socket->readAll());
    qsizetype end;
    while ((end = peer.buffer.indexOf('\n')) >= 0) {
        const QByteArray line = peer.buffer.left(end);
        peer.buffer.remove(0, end + 1);
        if (line.trimmed().isEmpty())
            continue;
        const Result<QJsonObject> request = ControlProtocol::decode(line);
        if (!request) {
            send(socket, failure(tr("bad request: %1").arg(request.error())));
            continue;
        }
        handle(socket, peer, request.value());
        if (m_peers.find(socket) == m_peers.end())
            return; // dropped while answering
    }
    if (peer.buffer.size() > ControlProtocol::kMaxRequestLine) {
        send(socket, failure(tr("request line too long")));
        socket->disconnectFromServer();
    }
}

void ControlServer::handle(QLocalSocket *socket, Peer &peer, const QJsonObject &request)
{
    const QString command = request.value(u"cmd").toString();
    const int version = request.value(u"v").toInt(ControlProtocol::kVersion);
    QJsonObject reply;
    auto offered = [&reply](const auto &function) {
        if (!function)
            reply = failure(tr("not offered by this process"));
        return bool(function);
    };
    if (version > ControlProtocol::kVersion) {
        reply = failure(tr("protocol version %1 is not supported; this gateway speaks %2")
                            .arg(version)
                            .arg(ControlProtocol::kVersion));
    } else if (command == u"hello") {
        reply = {{QStringLiteral("ok"), true},
                 {QStringLiteral("protocol"), ControlProtocol::kVersion},
                 {QStringLiteral("pid"), QCoreApplication::applicationPid()},
                 {QStringLiteral("app"), QStringLiteral("switchyard")},
                 {QStringLiteral("commands"), commands()}};
    } else if (command == u"status") {
        reply = status();
    } else if (command == u"state") {
        reply = gatewayState();
    } else if (command == u"subscribe") {
        const qint64 now = live::LiveFigures::nowSecond();
        QJsonArray seconds;
        if (m_source.figures) {
            for (const live::LiveFigures::Second &second :
                 m_source.figures->activeSeconds(now - live::LiveFigures::kSeconds + 1, now - 1))
                seconds.append(QJsonObject {{QStringLiteral("t"), second.second},
                                            {QStringLiteral("f"), ControlProtocol::toJson(second.figures)}});
        }
        QJsonArray requests;
        if (m_source.recent) {
            const int backfill = request.value(u"requests").toInt(0);
            quint64 latest = 0;
            const QList<UsageRecord> records = m_source.recent->since(0, &latest);
            for (qsizetype i = 0; i < qMin<qsizetype>(backfill, records.size()); ++i)
                requests.append(ControlProtocol::toJson(records.at(i)));
            peer.lastSequence = latest;
        }
        peer.subscribed = true;
        peer.lastSecond = now - 1;
        reply = {{QStringLiteral("ok"), true},
                 {QStringLiteral("now"), now},
                 {QStringLiteral("seconds"), seconds},
                 {QStringLiteral("requests"), requests}};
        if (!m_ticker.isActive())
            m_ticker.start();
    } else if (command == u"unsubscribe") {
        peer.subscribed = false;
        reply = {{QStringLiteral("ok"), true}};
    } else if (command == u"pause" || command == u"resume") {
        if (offered(m_source.setPaused)) {
            m_source.setPaused(command == u"pause");
            reply = {{QStringLiteral("ok"), true}};
            if (m_source.paused)
                reply.insert(u"paused", m_source.paused());
        }
    } else if (command == u"prune") {
        if (offered(m_source.prune)) {
            // Answered when the store writer has run it.
            QPointer<QLocalSocket> target(socket);
            const QJsonValue id = request.value(u"id");
            m_source.prune([this, target, id](Result<qint64> removed) {
                if (!target || m_peers.find(target.data()) == m_peers.end())
                    return;
                QJsonObject answer = removed
                    ? QJsonObject {{QStringLiteral("ok"), true}, {QStringLiteral("requests_removed"), removed.value()}}
                    : failure(removed.error());
                if (!id.isUndefined())
                    answer.insert(u"id", id);
                send(target.data(), answer);
            });
            return;
        }
    } else if (command == u"raise") {
        if (offered(m_source.raise)) {
            m_source.raise();
            reply = {{QStringLiteral("ok"), true}};
        }
    } else {
        reply = failure(tr("unknown command: %1").arg(command.left(40)));
    }
    if (request.contains(u"id"))
        reply.insert(u"id", request.value(u"id"));
    send(socket, reply);
}

QJsonObject ControlServer::status() const
{
    QJsonObject reply {{QStringLiteral("ok"), true}, {QStringLiteral("pid"), QCoreApplication::applicationPid()}};
    if (m_source.state)
        reply.insert(u"state", m_source.state());
    if (m_source.url)
        reply.insert(u"url", m_source.url());
    if (m_source.paused)
        reply.insert(u"paused", m_source.paused());
    if (m_source.requestsInFlight)
        reply.insert(u"in_flight", m_source.requestsInFlight());
    const QDateTime now = Clock::instance().nowUtc();
    const QTimeZone zone = Calendar::zone();
    if (m_source.since) {
        const QDateTime dayStart = Calendar::startOfDay(now, zone);
        QJsonObject today = summary(m_source.since(dayStart));
        today.insert(u"day_start", dayStart.toString(Qt::ISODate));
        today.insert(u"time_zone", QString::fromUtf8(zone.id()));
        reply.insert(u"today", today);
        const QDateTime monthStart = Calendar::startOfMonth(now, zone);
        QJsonObject month = summary(m_source.since(monthStart));
        month.insert(u"month_start", monthStart.toString(Qt::ISODate));
        month.insert(u"time_zone", QString::fromUtf8(zone.id()));
        reply.insert(u"month", month);
    }
    if (m_source.figures) {
        const qint64 burn = m_source.figures->burnRateMicroUsdPerHour();
        reply.insert(u"burn_rate_micro_usd_per_hour", burn);
        reply.insert(u"burn_rate_usd_per_hour", double(burn) / 1e6);
        const live::Figures hour = m_source.figures->sum(live::LiveFigures::kSeconds);
        QJsonObject lastHour = summary(hour);
        lastHour.insert(u"latency_p50_ms", hour.latency.percentile(0.5));
        lastHour.insert(u"latency_p95_ms", hour.latency.percentile(0.95));
        lastHour.insert(u"ttfb_p50_ms", hour.ttfb.percentile(0.5));
        lastHour.insert(u"ttfb_p95_ms", hour.ttfb.percentile(0.95));
        reply.insert(u"last_hour", lastHour);
    }
    return reply;
}

QJsonArray ControlServer::commands() const
{
    QJsonArray offered {QStringLiteral("hello"), QStringLiteral("status"), QStringLiteral("subscribe"),
                        QStringLiteral("unsubscribe")};
    if (m_source.setPaused) {
        offered.append(QStringLiteral("pause"));
        offered.append(QStringLiteral("resume"));
    }
    if (m_source.prune)
        offered.append(QStringLiteral("prune"));
    if (m_source.raise)
        offered.append(QStringLiteral("raise"));
    if (m_source.gatewayState)
        offered.append(QStringLiteral("state"));
    return offered;
}

// The `state` command: limits, budgets, resting keys and route targets, as a copy.
QJsonObject ControlServer::gatewayState() const
{
    if (!m_source.gatewayState)
        return failure(tr("not offered by this process"));
    QJsonObject reply = m_source.gatewayState().toJson();
    reply.insert(u"ok", true);
    return reply;
}

QJsonObject ControlServer::tick(Peer &peer, qint64 upTo) const
{
    QJsonArray seconds;
    if (m_source.figures && upTo > peer.lastSecond) {
        for (const live::LiveFigures::Second &second : m_source.figures->activeSeconds(peer.lastSecond + 1, upTo))
            seconds.append(QJsonObject {{QStringLiteral("t"), second.second},
                                        {QStringLiteral("f"), ControlProtocol::toJson(second.figures)}});
        peer.lastSecond = upTo;
    }
    QJsonArray requests;
    qint64 dropped = 0;
    if (m_source.recent) {
        quint64 latest = 0;
        const QList<UsageRecord> records = m_source.recent->since(peer.lastSequence, &latest);
        for (const UsageRecord &record : records)
            requests.append(ControlProtocol::toJson(record));
        dropped = qint64(latest - peer.lastSequence) - records.size();
        peer.lastSequence = latest;
    }
    QJsonObject event {{QStringLiteral("event"), QStringLiteral("tick")},
                       {QStringLiteral("now"), upTo + 1},
                       {QStringLiteral("seconds"), seconds},
                       {QStringLiteral("requests"), requests},
                       {QStringLiteral("dropped"), dropped}};
    if (m_source.state)
        event.insert(u"state", m_source.state());
    if (m_source.paused)
        event.insert(u"paused", m_source.paused());
    if (m_source.requestsInFlight)
        event.insert(u"in_flight", m_source.requestsInFlight());
    return event;
}

void ControlServer::onTick()
{
    // Whole seconds only: the one now running is sent by the next tick. LiveFigures reads
    // the clock under its lock, so a request counted in a second before `upTo` is in it.
    const qint64 upTo = live::LiveFigures::nowSecond() - 1;
    std::vector<QLocalSocket *> subscribers;
    for (auto &[socket, peer] : m_peers) {
        if (peer.subscribed)
            subscribers.push_back(socket);
    }
    if (subscribers.empty()) {
        m_ticker.stop();
        return;
    }
    for (QLocalSocket *socket : subscribers) {
        auto it = m_peers.find(socket);
        if (it != m_peers.end())
            send(socket, tick(it->second, upTo));
    }
}

void ControlServer::send(QLocalSocket *socket, const QJsonObject &message)
{
    if (socket->bytesToWrite() > kMaxUnsentBytes) {
        qCWarning(lcControl) << "dropping a control client that stopped reading";
        m_peers.erase(socket);
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
        return;
    }
    socket->write(ControlProtocol::encode(message));
}

} // namespace sy::control
