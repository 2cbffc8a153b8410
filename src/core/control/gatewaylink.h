// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QHash>
#include <QObject>
#include <QStringList>

#include "controlclient.h"
#include "store/usageaggregate.h"

namespace sy::live {
class LiveFigures;
class RecentRequests;
} // namespace sy::live

namespace sy::control {

// The window's one view of a gateway, wherever it runs: in this process (the app's own
// host) or in a `switchyard serve` the app attached to. It reads the control channel
// (docs/CONTROL.md): after "hello" it subscribes, mirrors the gateway's live seconds into a
// local LiveFigures and its finished requests into a local RecentRequests, keeps the latest
// status (state, address, pause, requests in flight, today and this month), and sends
// pause, resume, prune and raise. Lives on the GUI thread and never blocks it: every
// answer comes back as a signal.
class GatewayLink final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayLink)

public:
    explicit GatewayLink(QObject *parent = nullptr);
    ~GatewayLink() override;

    // Links to the gateway of `dataDir`: linked() once it answered "hello", else
    // linkFailed() (NotRunning: nothing runs there).
    void connectToDataDir(const QString &dataDir);
    void disconnectFromGateway(); // quietly: no unlinked()
    bool isLinked() const { return m_linked; }

    // Who answered, from "hello".
    qint64 pid() const { return m_pid; }
    bool offers(const QString &command) const { return m_commands.contains(command); }
    bool isApp() const { return offers(QStringLiteral("raise")); } // the app offers raise; serve does not

    // The latest status; empty or zero until the first answer.
    bool hasStatus() const { return m_hasStatus; }
    QString state() const { return m_state; } // "serving", "paused", "starting", ... ("" when unknown)
    QString url() const { return m_url; }
    bool isPaused() const { return m_paused; }
    qint64 requestsInFlight() const { return m_inFlight; }
    bool hasTotals() const { return m_hasTotals; }
    store::UsageAggregate today() const { return m_today; }
    store::UsageAggregate month() const { return m_month; }

    // The gateway's last hour (mirrored second by second) and its latest requests.
    const live::LiveFigures &figures() const { return *m_figures; }
    live::RecentRequests &recentRequests() { return *m_recent; }

public slots:
    void setPaused(bool paused);
    void prune();
    void raise();

signals:
    void linked();
    void linkFailed(sy::control::ControlClient::Error error, const QString &reason);
    void unlinked(); // the gateway went away (or closed the channel) after linked()
    void statusChanged();
    void raiseAnswered(bool ok);
    void pruneAnswered(bool ok, qint64 requestsRemoved, const QString &error);
    void commandRefused(const QString &command, const QString &error);

private:
    void onConnected();
    void onFailed(sy::control::ControlClient::Error error, const QString &reason);
    void onReplied(const QJsonObject &reply);
    void onTicked(const QJsonObject &event);
    void send(const QString &command, const QJsonObject &fields = {});
    void takeSeconds(const QJsonArray &seconds);
    void takeRequests(const QJsonArray &newestFirst);
    void takeStatus(const QJsonObject &status);
    void reset();

    std::unique_ptr<ControlClient> m_client;
    std::unique_ptr<live::LiveFigures> m_figures;
    std::unique_ptr<live::RecentRequests> m_recent;
    QHash<qint64, QString> m_pending; // command id -> command
    bool m_linked = false;
    bool m_statusAsked = false;
    qint64 m_pid = 0;
    QStringList m_commands;
    bool m_hasStatus = false;
    QString m_state;
    QString m_url;
    bool m_paused = false;
    qint64 m_inFlight = 0;
    bool m_hasTotals = false;
    store::UsageAggregate m_today;
    store::UsageAggregate m_month;
};

} // namespace sy::control
