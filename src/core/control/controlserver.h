// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <unordered_map>

#include <QDateTime>
#include <QJsonArray>
#include <QObject>
#include <QTimer>

#include "common/result.h"
#include "gateway/gatewaysnapshot.h"
#include "live/figures.h"
#include "store/usageaggregate.h"

class QLocalServer;
class QLocalSocket;

namespace sy::live {
class LiveFigures;
class RecentRequests;
} // namespace sy::live

namespace sy::control {

// The local control channel a running gateway offers in its data dir: `switchyard status`,
// a second launch of the app and an attached window talk to it (protocol in
// docs/CONTROL.md). A socket file only the same user can open, in a 0700 data dir.
//
// It reports what its Source gives it and changes nothing itself: pause, resume, prune and
// raise are handed to the Source's functions. It lives on one thread (the host's) and
// never blocks it: a subscriber that stops reading is dropped rather than buffered without
// bound.
class ControlServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlServer)

public:
    // What the server reports and whom it asks. Functions run on the server's thread; an
    // unset function means "not offered" (the command is refused, the field left out).
    struct Source
    {
        std::function<QString()> state; // "serving", "paused", "starting", ... (Host::State in lower case)
        std::function<QString()> url; // http://HOST:PORT once serving
        std::function<bool()> paused;
        std::function<qint64()> requestsInFlight;
        // What the requests that started from `from` on (UTC: the start of today or of this
        // month in the user's calendar) add up to, committed or not: "today" and "month".
        std::function<store::UsageAggregate(const QDateTime &from)> since;
        const live::LiveFigures *figures = nullptr; // the last hour; burn rate; subscribe
        live::RecentRequests *recent = nullptr; // new rows for subscribers
        std::function<void(bool paused)> setPaused;
        // Retention now, through the one store writer; `done` gets the number of requests
        // removed, or why it could not run (the reply waits for it).
        std::function<void(std::function<void(Result<qint64>)> done)> prune;
        std::function<void()> raise; // bring the window forward (only the app offers it)
        // Limits, budgets, resting keys and route targets now (Host::gatewaySnapshot).
        std::function<gateway::GatewaySnapshot()> gatewayState;
    };

    ControlServer(QString dataDir, Source source, QObject *parent = nullptr);
    ~ControlServer() override;

    // Opens the socket. The caller holds the data dir's InstanceLock, so a socket file left
    // there is a crashed process's and is replaced.
    Status listen();
    void close();
    QString socketPath() const;
    int subscriberCount() const;
    void setTickInterval(int ms) { m_ticker.setInterval(ms); } // subscribers' pushes; 1 s unless a test hurries

    static constexpr qint64 kMaxUnsentBytes = 8 * 1024 * 1024; // a subscriber this far behind is dropped

signals:
    void clientConnected();

private:
    struct Peer
    {
        QByteArray buffer;
        bool subscribed = false;
        qint64 lastSecond = 0; // the newest second already sent
        quint64 lastSequence = 0; // the newest recent request already sent
    };

    void onNewConnection();
    void onReadyRead(QLocalSocket *socket);
    void onTick();
    void handle(QLocalSocket *socket, Peer &peer, const QJsonObject &request);
    QJsonObject status() const;
    QJsonArray commands() const; // what this process offers, for "hello"
    QJsonObject gatewayState() const;
    QJsonObject tick(Peer &peer, qint64 upTo) const;
    void send(QLocalSocket *socket, const QJsonObject &message);

    const QString m_dataDir;
    const Source m_source;
    QLocalServer *m_server = nullptr;
    std::unordered_map<QLocalSocket *, Peer> m_peers;
    QTimer m_ticker;
};

} // namespace sy::control
