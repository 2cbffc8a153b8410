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
#include "gateway/gatewaysnapshot.h"
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
// It reports through signals and never blocks its thread: the store is opened, budgets
// are read and history is queried on workers of its own. The GUI moves it to a thread of
// its own before start(); the mutating calls are slots, so they may be invoked queued from
// another thread, and it must be destroyed on that thread (QThread::finished → deleteLater).
// The views (state(), url(), config(), requestsInFlight(), events(), liveFigures(),
// recentRequests()) are thread-safe and give copies or signals, never a reference into
// gateway threads. After stopped() or startFailed(), start() may be called again.
class Host final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Host)

public:
    enum class State { Stopped, Starting, Serving, Paused, Stopping, Failed };
    Q_ENUM(State)
    // What made a start fail, for a shell's exit code (serve: 2 for Config, 1 otherwise).
    enum class StartError { DataDir, Busy, Config, Listen };
    Q_ENUM(StartError)

    // How long start() waits for the keychain before it serves without the stored keys
    // (they apply when the keychain answers).
    static constexpr int kKeychainPatienceMs = 15'000;

    explicit Host(DataLocation location, QObject *parent = nullptr);
    // Cuts requests still in flight (call stop() and wait for stopped() to let them
    // finish), then commits every recorded row and waits for its workers.
    ~Host() override;

    const DataLocation &location() const { return m_location; }
    State state() const; // any thread
    bool isPaused() const; // any thread; also true while paused before a start
    QString url() const; // http://HOST:PORT once serving; any thread
    config::Config config() const; // the config in force (a copy); any thread
    qint64 requestsInFlight() const; // any thread

    EventLog &events();
    live::LiveFigures &liveFigures();
    live::RecentRequests &recentRequests();
    // Rate limits at their levels, budgets' spend, resting keys and route targets' figures
    // now: a copy (invalid, with empty lists, while no gateway serves). Any thread; the
    // gateway threads wait at most for one short copy of each part.
    gateway::GatewaySnapshot gatewaySnapshot() const;

    // Usage history from the database, read on a worker with a connection of its own;
    // `done` runs later on the thread of `context` (never before this returns, never when
    // `context` is gone). Works in any state, also on a data dir another process serves.
    void queryUsage(const store::UsageQuery::Request &request, QObject *context,
                    std::function<void(Result<QList<store::UsageAggregate>>)> done);

    // What the requests that started from `from` on add up to (committed or not): today
    // and this month in the calendar's zone, as `status`, the tray and the dashboard show
    // them. Zeros until the store's history is read at start. Any thread.
    store::UsageAggregate totalsSince(const QDateTime &from) const;

    // The app's window offers "raise" on the control channel (a second launch hands over
    // to it); `serve` offers none. Runs on the host's thread. Before start().
    void setRaiseHandler(std::function<void()> raise);

    void setKeychainPatienceMs(int ms); // tests; before start()

public slots:
    void start(); // answers later with started() or startFailed()
    // New requests get 503 in the caller's wire format naming the pause; requests in
    // flight finish. Lasts until resumed or the process ends.
    void setPaused(bool paused);
    // Stops accepting, lets requests in flight finish, commits every finished request's
    // row, then emits stopped(). When nothing runs, emits stopped() at once.
    void stop();
    // Retention now, through the one store writer; ends with pruned().
    void pruneNow();

signals:
    void started(const QString &url);
    void startFailed(const QString &reason, sy::host::Host::StartError error);
    void stateChanged(sy::host::Host::State state);
    void reloaded(const QString &what); // a config, client key or provider key change applied
    void reloadRefused(const QString &reason); // the loader's reason; the old state stays
    void stopped();
    void usageCommitted(); // the store committed rows: history views may refresh
    void pruned(qint64 requests); // retention ran (at start, daily or pruneNow())
    void configChanged();
    void clientKeysChanged();
    void providerKeysChanged();
    // The control channel listens in the data dir (it does from the moment the instance
    // lock is held until the host stops): `status`, a second launch and the window use it.
    void controlChannelOpened(const QString &socketPath);

private:
    class Private;

    enum class Change { Config, ClientKeys, ProviderKeys };

    void begin();
    void fail(StartError error, const QString &reason);
    void onKeysLoaded(quint64 generation, const QList<QString> &problems, bool inTime);
    void onKeychainPatienceOver();
    void openStore();
    // Spend from before this start, read on a worker: budgets and balances continue from it.
    struct PastSpend;
    void onStoreOpened(quint64 generation, const QString &problem, const PastSpend &past);
    void listen(const PastSpend &past);
    // A new zone or balance date re-cuts the spend from before the start.
    void reseedBudgets();
    void openControlChannel();
    void watch();
    void adviseFirstSteps();
    bool apply(const config::Config &config, Change change);
    void onConfigEdited(const config::Config &config);
    void onConfigRefused(const QString &reason);
    void onClientKeysEdited();
    void onProviderKeysEdited();
    void onServerStopped();
    void finishStop();
    void tearDown();
    void setState(State state);

    DataLocation m_location;
    std::unique_ptr<Private> d;
};

} // namespace sy::host
