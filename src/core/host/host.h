// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>

#include <QObject>
#include <QString>

#include "common/result.h"
#include "config/config.h"
#include "datalocation.h"
#include "store/usageaggregate.h"
#include "store/usagequery.h"

namespace sy::live {
class LiveFigures;
class RecentRequests;
} // namespace sy::live

namespace sy::host {

class EventLog;

// Everything `serve` starts, as one object that `serve` and the GUI both start, so the
// two never drift apart: the data dir and its lock, the config and its watcher, client
// keys, provider keys (the keychain is waited for with a timer, never a nested loop),
// the usage store, live figures, budget seeding, reload, pause, graceful stop.
//
// It reports through signals and never blocks its thread. The GUI moves it to a thread
// of its own before start(); the mutating calls are slots, so they may be invoked
// queued from another thread. The views (events(), liveFigures(), recentRequests())
// are thread-safe and give copies or signals, never a reference into gateway threads.
class Host final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Host)

public:
    enum class State { Stopped, Starting, Serving, Paused, Stopping, Failed };
    Q_ENUM(State)

    explicit Host(DataLocation location, QObject *parent = nullptr);
    ~Host() override; // stops as stop() does, then waits for the store

    const DataLocation &location() const { return m_location; }
    State state() const; // any thread
    QString url() const; // http://HOST:PORT once serving; any thread
    config::Config config() const; // the config in force (a copy); any thread
    qint64 requestsInFlight() const; // any thread

    EventLog &events();
    live::LiveFigures &liveFigures();
    live::RecentRequests &recentRequests();

    // Usage history from the database, read on a worker; `done` runs later on the
    // thread of `context`, never before this returns.
    void queryUsage(const store::UsageQuery::Request &request, QObject *context,
                    std::function<void(Result<QList<store::UsageAggregate>>)> done);

public slots:
    void start(); // answers with started() or startFailed()
    // New requests get 503 in the caller's wire format naming the pause; requests in
    // flight finish. Lasts until resumed or the process ends.
    void setPaused(bool paused);
    // Stops accepting, lets requests in flight finish, commits every finished request's
    // row, then emits stopped().
    void stop();
    // Retention now, through the one store writer.
    void pruneNow();

signals:
    void started(const QString &url);
    void startFailed(const QString &reason);
    void stateChanged(sy::host::Host::State state);
    void reloaded(const QString &what); // a config, client key or provider key change applied
    void reloadRefused(const QString &reason); // the loader's reason; the old state stays
    void stopped();
    void usageCommitted(); // the store committed rows: history views may refresh
    void configChanged();
    void clientKeysChanged();
    void providerKeysChanged();

private:
    class Private;
    DataLocation m_location;
    std::unique_ptr<Private> d;
};

} // namespace sy::host
