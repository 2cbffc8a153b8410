// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "host.h"

#include <atomic>

#include <QDir>
#include <QFile>
#include <QMetaEnum>
#include <QMutex>
#include <QMutexLocker>
#include <QPointer>
#include <QRegularExpression>
#include <QThreadPool>
#include <QTimer>

#include "common/calendar.h"
#include "common/clock.h"
#include "common/fanoutsink.h"
#include "common/instancelock.h"
#include "common/watchedfile.h"
#include "config/configwatcher.h"
#include "control/controlserver.h"
#include "eventlog.h"
#include "gateway/gatewayserver.h"
#include "gateway/gatewaystate.h"
#include "hostlog.h"
#include "limits/budgethistory.h"
#include "live/livefigures.h"
#include "live/recentrequests.h"
#include "secrets/clientkeystore.h"
#include "secrets/providerkeyvault.h"
#include "store/calendartotals.h"
#include "store/livemetrics.h"
#include "store/metricsstore.h"

namespace sy::host {

namespace {

using Level = EventLog::Level;

// A path as a POSIX shell reads it back, for commands the user copies.
QString shellQuoted(const QString &word)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_@%+=:,./~-]+$"));
    if (plain.match(word).hasMatch())
        return word;
    QString quoted = word;
    quoted.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + quoted + u'\'';
}

} // namespace

struct Host::PastSpend
{
    QDateTime before; // the spend is what was recorded up to this instant
    QList<limits::BudgetTracker::RecordedSpend> spans;
    QString problem; // why there is none, if there should have been
};

class Host::Private
{
public:
    EventLog events;
    live::LiveFigures liveFigures;
    live::RecentRequests recentRequests;
    store::LiveMetrics liveMetrics;

    std::atomic<State> state {State::Stopped};
    std::atomic<bool> paused {false};
    int keychainPatienceMs = kKeychainPatienceMs;

    // What the views read from other threads; written on the host's thread.
    mutable QMutex viewMutex;
    QString url;
    config::Config active; // the config in force
    std::unique_ptr<gateway::GatewayServer> server;

    // Bumped by every start and teardown: callbacks of an earlier run are ignored.
    quint64 generation = 0;
    enum class Phase { Idle, WaitingForKeys, OpeningStore, Running };
    Phase phase = Phase::Idle;
    bool stopWanted = false;
    quint64 keyLoads = 0; // only the newest provider key load applies

    std::unique_ptr<InstanceLock> lock;
    std::unique_ptr<secrets::ClientKeyStore> clientKeys;
    std::unique_ptr<secrets::ProviderKeyVault> vault;
    secrets::ProviderKeyring providerKeys;
    std::shared_ptr<store::MetricsStore> store; // shared with the worker that opens and flushes it
    // Today and this month in the calendar's zone: the store's history before the start
    // plus what this run recorded. Shared with the worker that reads the history.
    std::shared_ptr<store::CalendarTotals> totals;
    std::unique_ptr<FanOutSink> usage;
    std::unique_ptr<control::ControlServer> control;
    std::function<void()> raise;
    QList<std::function<void(Result<qint64>)>> pruneWaiters; // channel clients waiting for pruned()
    std::unique_ptr<config::ConfigWatcher> configWatcher;
    std::unique_ptr<WatchedFile> clientKeyFile;
    std::unique_ptr<WatchedFile> providerKeyCatalog;
    QTimer keychainPatience;

    // Opening the store, reading budgets, history queries, the final flush: never on the
    // host's thread, which may be the GUI's.
    QThreadPool workers;

    Result<std::shared_ptr<const gateway::GatewayState>> build(config::Config config, EventLog &log) const
    {
        auto keys = clientKeys->load();
        if (!keys) // fail closed: a damaged key file admits no key from it
            log.add(
                Level::Error,
                Host::tr("The client key file cannot be read, so none of its keys is accepted: %1").arg(keys.error()));
        for (const secrets::ClientKey &key : keys.ok() ? keys.value() : QList<secrets::ClientKey>())
            config.clientKeys.append({key.name, key.sha256, key.expires});
        return gateway::GatewayState::create(std::move(config), providerKeys);
    }
};

Host::Host(DataLocation location, QObject *parent)
    : QObject(parent), m_location(std::move(location)), d(std::make_unique<Private>())
{
    qRegisterMetaType<sy::host::Host::State>();
    qRegisterMetaType<sy::host::Host::StartError>();
    d->keychainPatience.setSingleShot(true);
    d->keychainPatience.setParent(this); // moves with the host to its thread (and leaves it when destroyed)
    connect(&d->keychainPatience, &QTimer::timeout, this, &Host::onKeychainPatienceOver);
    d->workers.setMaxThreadCount(2);
}

Host::~Host()
{
    ++d->generation;
    d->workers.waitForDone(); // their answers to this host are dropped with it
    tearDown(); // cuts what is in flight; the store commits every recorded row as it closes
}

Host::State Host::state() const
{
    return d->state.load();
}

bool Host::isPaused() const
{
    return d->paused.load();
}

QString Host::url() const
{
    QMutexLocker lock(&d->viewMutex);
    return d->url;
}

config::Config Host::config() const
{
    QMutexLocker lock(&d->viewMutex);
    return d->active;
}

qint64 Host::requestsInFlight() const
{
    QMutexLocker lock(&d->viewMutex);
    return d->server ? d->server->requestsInFlight() : 0;
}

EventLog &Host::events()
{
    return d->events;
}

live::LiveFigures &Host::liveFigures()
{
    return d->liveFigures;
}

live::RecentRequests &Host::recentRequests()
{
    return d->recentRequests;
}

store::UsageAggregate Host::totalsSince(const QDateTime &from) const
{
    std::shared_ptr<store::CalendarTotals> totals;
    {
        QMutexLocker lock(&d->viewMutex);
        totals = d->totals;
    }
    if (!totals) {
        store::UsageAggregate none;
        none.bucketStart = from.toUTC();
        return none;
    }
    return totals->since(from);
}

void Host::setRaiseHandler(std::function<void()> raise)
{
    d->raise = std::move(raise);
}

gateway::GatewaySnapshot Host::gatewaySnapshot() const
{
    // Held so the server outlives the copy; the host's thread takes it only to swap the server.
    QMutexLocker lock(&d->viewMutex);
    return d->server ? d->server->snapshot() : gateway::GatewaySnapshot();
}

void Host::setKeychainPatienceMs(int ms)
{
    d->keychainPatienceMs = ms;
}

void Host::queryUsage(const store::UsageQuery::Request &request, QObject *context,
                      std::function<void(Result<QList<store::UsageAggregate>>)> done)
{
    QPointer<QObject> answerTo(context);
    d->workers.start([dataDir = m_location.dataDir, request, answerTo, done = std::move(done)] {
        store::UsageQuery query(dataDir);
        Result<QList<store::UsageAggregate>> result = Result<QList<store::UsageAggregate>>::failure({});
        if (Status opened = query.open(); !opened)
            result = Result<QList<store::UsageAggregate>>::failure(opened.error());
        else
            result = query.aggregate(request);
        // The answer rides on a queued connection to `context`: Qt drops it, even while it is
        // being posted, if `context` is deleted meanwhile.
        QObject messenger;
        if (!answerTo)
            return;
        connect(
            &messenger, &QObject::destroyed, answerTo.data(), [done, result] { done(result); }, Qt::QueuedConnection);
    });
}

void Host::start()
{
    const State now = state();
    if (now != State::Stopped && now != State::Failed) {
        qCWarning(lcHost) << "start() while" << now << "ignored";
        return;
    }
    const quint64 generation = ++d->generation;
    d->stopWanted = false;
    setState(State::Starting);
    // Answered from the event loop, failures too: a caller connects after start() as well.
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            if (generation == d->generation)
                begin();
        },
        Qt::QueuedConnection);
}

void Host::begin()
{
    const quint64 generation = d->generation;
    const QString dataDir = m_location.dataDir;
    if (!QDir().mkpath(dataDir))
        return fail(StartError::DataDir, tr("cannot create data directory %1").arg(dataDir));
    QFile::setPermissions(dataDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    d->lock = std::make_unique<InstanceLock>(dataDir);
    if (Status locked = d->lock->acquire(); !locked)
        return fail(StartError::Busy, locked.error());
    if (!d->lock->warning().isEmpty()) // held, but the disk is full: say so, and serve
        d->events.add(Level::Warning, d->lock->warning());

    Result<config::Config> loaded = m_location.loadConfig();
    if (!loaded)
        return fail(StartError::Config, loaded.error());
    {
        QMutexLocker lock(&d->viewMutex);
        d->active = std::move(loaded).value();
    }
    Calendar::setZone(d->active.timeZone); // days, months and budgets in the user's calendar
    openControlChannel();

    // Keys come before the listener opens, so the first request already has them. A
    // keychain waiting for the user to unlock it holds the start back only so long.
    d->clientKeys = std::make_unique<secrets::ClientKeyStore>(dataDir);
    d->vault = std::make_unique<secrets::ProviderKeyVault>(dataDir, d->active.secretStore);
    d->providerKeys.clear();
    d->phase = Private::Phase::WaitingForKeys;
    const quint64 load = ++d->keyLoads;
    QPointer<Host> self(this);
    d->vault->load([self, generation, load](secrets::ProviderKeyring keys, const QStringList &problems) {
        if (!self || self->d->generation != generation || self->d->keyLoads != load)
            return;
        self->d->providerKeys = std::move(keys);
        self->onKeysLoaded(generation, problems, self->d->phase == Private::Phase::WaitingForKeys);
    });
    d->keychainPatience.start(d->keychainPatienceMs);
}

void Host::onKeysLoaded(quint64 generation, const QList<QString> &problems, bool inTime)
{
    for (const QString &problem : problems)
        d->events.add(Level::Warning, tr("provider key unavailable: %1").arg(problem));
    if (inTime) {
        d->keychainPatience.stop();
        openStore();
        return;
    }
    if (d->phase == Private::Phase::Running && generation == d->generation) {
        d->events.add(Level::Info, tr("the keychain answered late; its provider keys apply now"));
        if (apply(config(), Change::ProviderKeys))
            emit providerKeysChanged();
    }
    // While the store opens, the keys just read are used when the gateway starts.
}

void Host::onKeychainPatienceOver()
{
    if (d->phase != Private::Phase::WaitingForKeys)
        return;
    d->events.add(Level::Warning,
                  tr("the keychain did not answer in %1 s; starting without stored provider keys")
                      .arg(d->keychainPatienceMs / 1000));
    openStore();
}

void Host::openStore()
{
    if (d->stopWanted)
        return finishStop();
    d->phase = Private::Phase::OpeningStore;
    store::MetricsStore::Options options;
    options.dataDir = m_location.dataDir;
    options.retentionMonths = d->active.retentionMonths;
    d->store = std::make_shared<store::MetricsStore>(options);
    store::MetricsStore *usageStore = d->store.get();
    // Emitted on the writer thread, handled on the host's.
    connect(usageStore, &store::MetricsStore::committed, this, &Host::usageCommitted);
    connect(usageStore, &store::MetricsStore::pruned, this, [this](qint64 requests) {
        if (requests > 0)
            d->events.add(Level::Info,
                          tr("%n request(s) older than the retention period removed", nullptr,
                             int(qMin<qint64>(requests, INT_MAX))));
        for (const auto &done : std::exchange(d->pruneWaiters, {}))
            done(requests);
        emit pruned(requests);
    });
    connect(usageStore, &store::MetricsStore::databaseMovedAside, this,
            [this](const QString &reason, const QString &movedTo) {
                d->events.add(Level::Warning,
                              tr("The usage database was %1. It was moved to %2 and a new one "
                                 "started.")
                                  .arg(reason, movedTo));
            });
    connect(usageStore, &store::MetricsStore::writeFailed, this, [this](const QString &error) {
        d->events.add(Level::Error, tr("usage rows could not be written: %1").arg(error));
    });

    auto totals = std::make_shared<store::CalendarTotals>(m_location.dataDir);
    {
        QMutexLocker lock(&d->viewMutex);
        d->totals = totals;
    }

    const quint64 generation = d->generation;
    const QList<limits::Budget> budgets = d->active.limits.budgets;
    const QDateTime before = Clock::instance().nowUtc(); // the gateway serves from after it
    d->workers.start([this, generation, store = d->store, totals, dataDir = m_location.dataDir, budgets, before] {
        QString problem;
        if (Status opened = store->open(); !opened)
            problem = opened.error();
        // Today's and this month's history, read before the gateway serves, so no request
        // counts twice or not at all.
        if (Status read = totals->load(before); !read && problem.isEmpty())
            problem = read.error();
        PastSpend past;
        past.before = before;
        auto spans = limits::BudgetHistory::read(budgets, dataDir, before);
        if (spans)
            past.spans = spans.value();
        else
            past.problem = spans.error();
        // The host waits for this worker before it is destroyed.
        QMetaObject::invokeMethod(
            this, [this, generation, problem, past] { onStoreOpened(generation, problem, past); },
            Qt::QueuedConnection);
    });
}

void Host::onStoreOpened(quint64 generation, const QString &problem, const PastSpend &past)
{
    if (generation != d->generation)
        return;
    if (!problem.isEmpty())
        d->events.add(Level::Warning, tr("usage history is off: %1").arg(problem));
    if (d->stopWanted)
        return finishStop();
    listen(past);
}

void Host::listen(const PastSpend &past)
{
    auto state = d->build(d->active, d->events);
    if (!state)
        return fail(StartError::Config, state.error());
    d->usage = std::make_unique<FanOutSink>(std::initializer_list<UsageSink *> {
        d->store.get(), &d->liveMetrics, &d->liveFigures, &d->recentRequests, d->totals.get()});
    // The store outlives the server (tearDown), so /metrics may read both.
    auto server = std::make_unique<gateway::GatewayServer>(
        state.value(), *d->usage, [metrics = &d->liveMetrics, store = d->store.get()]() -> QByteArray {
            return metrics->prometheusText() + store->prometheusText();
        });
    server->setPaused(d->paused);
    if (!past.problem.isEmpty())
        d->events.add(Level::Warning, tr("budgets start from zero: %1").arg(past.problem));
    server->budgets().setRecorded(past.spans, past.before);
    if (Status listening = server->listen(); !listening)
        return fail(StartError::Listen, listening.error());
    connect(server.get(), &gateway::GatewayServer::stopped, this, &Host::onServerStopped);
    const QString url = server->url();
    {
        QMutexLocker lock(&d->viewMutex);
        d->server = std::move(server);
        d->url = url;
    }
    d->phase = Private::Phase::Running;
    watch();
    setState(d->paused ? State::Paused : State::Serving);
    emit started(url);
    adviseFirstSteps();
}

void Host::openControlChannel()
{
    control::ControlServer::Source source;
    source.state
        = [this] { return QString::fromLatin1(QMetaEnum::fromType<State>().valueToKey(int(state()))).toLower(); };
    source.url = [this] { return url(); };
    source.paused = [this] { return isPaused(); };
    source.requestsInFlight = [this] { return requestsInFlight(); };
    source.since = [this](const QDateTime &from) { return totalsSince(from); };
    source.figures = &d->liveFigures;
    source.recent = &d->recentRequests;
    source.setPaused = [this](bool paused) { setPaused(paused); };
    source.prune = [this](std::function<void(Result<qint64>)> done) {
        if (!d->store || !d->store->isOpen()) {
            done(Result<qint64>::failure(tr("the usage history is not open")));
            return;
        }
        d->pruneWaiters.append(std::move(done));
        pruneNow();
    };
    source.raise = d->raise;
    source.gatewayState = [this] { return gatewaySnapshot(); };
    d->control = std::make_unique<control::ControlServer>(m_location.dataDir, std::move(source));
    if (Status listening = d->control->listen(); !listening) {
        // Not fatal: the gateway serves; `status` and the window's attach do without it.
        d->events.add(Level::Warning, tr("the control channel is off: %1").arg(listening.error()));
        d->control.reset();
        return;
    }
    emit controlChannelOpened(d->control->socketPath());
}

void Host::watch()
{
    // Edits to the config and to the keys apply to the next requests; requests in flight
    // finish as they began. Watched even before the file exists: `config import` may write
    // the first one.
    d->configWatcher = std::make_unique<config::ConfigWatcher>(m_location.configFile);
    connect(d->configWatcher.get(), &config::ConfigWatcher::changed, this, &Host::onConfigEdited);
    connect(d->configWatcher.get(), &config::ConfigWatcher::rejected, this, &Host::onConfigRefused);
    d->clientKeyFile = std::make_unique<WatchedFile>(d->clientKeys->path());
    connect(d->clientKeyFile.get(), &WatchedFile::changed, this, &Host::onClientKeysEdited);
    // `provider-key set/remove` rewrite the catalog.
    d->providerKeyCatalog = std::make_unique<WatchedFile>(d->vault->catalogPath());
    connect(d->providerKeyCatalog.get(), &WatchedFile::changed, this, &Host::onProviderKeysEdited);
}

// A first start says what to do next: the exact commands, with the data dir in use.
void Host::adviseFirstSteps()
{
    const config::Config &config = d->active;
    auto keys = d->clientKeys->load();
    const bool noClientKey = config.requireClientKey && (!keys || keys->isEmpty());
    QStringList keyless; // providers that need a key and have none
    QStringList envNames;
    bool anyUsable = false;
    for (const config::ProviderConfig &provider : config.providers) {
        const bool hasKey = !d->providerKeys.value(provider.id).isEmpty()
            || (!provider.apiKeyEnv.isEmpty() && !qEnvironmentVariableIsEmpty(provider.apiKeyEnv.toLocal8Bit()));
        const bool needsKey = !config::isLoopbackHost(provider.baseUrl.host());
        if (hasKey || !needsKey) {
            anyUsable = true;
            continue;
        }
        keyless.append(provider.id);
        if (!provider.apiKeyEnv.isEmpty())
            envNames.append(provider.apiKeyEnv);
    }
    const bool noProviderKey = !config.providers.isEmpty() && !anyUsable;
    if (!noClientKey && !noProviderKey)
        return;

    const QString dataDirOption = QStringLiteral("--data-dir ") + shellQuoted(m_location.dataDir);
    // `provider-key set` checks the provider against the config.
    const QString providerKeyOptions = m_location.configGiven
        ? dataDirOption + QStringLiteral(" --config ") + shellQuoted(m_location.configFile)
        : dataDirOption;
    if (noClientKey)
        d->events.add(Level::Warning,
                      tr("no client key yet, so every API request is refused (401). Create one (it is shown once):\n"
                         "    %1")
                          .arg(QStringLiteral("switchyard client-key create NAME ") + dataDirOption));
    if (noProviderKey) {
        QStringList commands;
        for (const QString &id : std::as_const(keyless))
            commands.append(QStringLiteral("    switchyard provider-key set %1 %2").arg(id, providerKeyOptions));
        QString message = tr("no provider key yet, so no request reaches a provider. Store one (it is read from "
                             "standard input and kept in the keychain):\n%1")
                              .arg(commands.join(u'\n'));
        if (!envNames.isEmpty())
            message += u'\n' + tr("  or start the gateway with %1 set").arg(envNames.join(tr(" or ")));
        d->events.add(Level::Warning, message);
    }
    const QString url = this->url();
    const QString key = config.requireClientKey ? QStringLiteral("sy-...") : QStringLiteral("unused");
    d->events.add(Level::Info,
                  tr("then point a tool at the gateway (no restart needed):\n    %1\n    %2")
                      .arg(QStringLiteral("export OPENAI_BASE_URL=%1/v1 OPENAI_API_KEY=%2").arg(url, key),
                           QStringLiteral("export ANTHROPIC_BASE_URL=%1 ANTHROPIC_API_KEY=%2").arg(url, key)));
}

bool Host::apply(const config::Config &config, Change change)
{
    if (!d->server)
        return false;
    auto next = d->build(config, d->events);
    QString what;
    switch (change) {
    case Change::Config:
        what = tr("config edit");
        if (!next)
            d->events.add(Level::Warning, tr("config edit refused: %1").arg(next.error()));
        else
            d->events.add(Level::Info, tr("config edit applied"));
        break;
    case Change::ClientKeys:
        what = tr("client key change");
        if (!next)
            d->events.add(Level::Warning, tr("client key change refused: %1").arg(next.error()));
        else
            d->events.add(Level::Info, tr("client key change applied"));
        break;
    case Change::ProviderKeys:
        what = tr("provider key change");
        if (!next)
            d->events.add(Level::Warning, tr("provider key change refused: %1").arg(next.error()));
        else
            d->events.add(Level::Info, tr("provider key change applied"));
        break;
    }
    if (!next) {
        emit reloadRefused(next.error());
        return false;
    }
    d->server->reload(next.value());
    if (next.value()->config().requireClientKey && next.value()->config().clientKeys.isEmpty())
        d->events.add(Level::Warning, tr("no client key left, so every API request is refused (401)"));
    emit reloaded(what);
    return true;
}

void Host::onConfigEdited(const config::Config &config)
{
    if (!apply(config, Change::Config))
        return;
    auto balanceDays = [](const config::Config &of) {
        QList<QDate> days;
        for (const limits::Budget &budget : of.limits.budgets)
            days.append(budget.prepaidSince);
        return days;
    };
    const bool newZone = config.timeZone != d->active.timeZone;
    const bool recut = newZone || balanceDays(config) != balanceDays(d->active);
    {
        QMutexLocker lock(&d->viewMutex);
        d->active = config;
    }
    if (recut)
        reseedBudgets(); // applies the zone too
    if (newZone) {
        // Today and this month begin elsewhere: the history before the start is cut again.
        d->workers.start([totals = d->totals] {
            if (totals)
                totals->load(Clock::instance().nowUtc());
        });
    }
    emit configChanged();
}

void Host::reseedBudgets()
{
    Calendar::setZone(d->active.timeZone);
    if (!d->server)
        return;
    // Only up to the first reading's instant: what this process settled since is in the
    // tracker already.
    const QDateTime before = d->server->budgets().recordedBefore();
    const quint64 generation = d->generation;
    d->workers.start([this, generation, budgets = d->active.limits.budgets, dataDir = m_location.dataDir, before] {
        auto spans = limits::BudgetHistory::read(budgets, dataDir, before);
        QMetaObject::invokeMethod(
            this,
            [this, generation, spans, before] {
                if (generation != d->generation || !d->server)
                    return;
                if (!spans)
                    d->events.add(Level::Warning, tr("budgets keep their old days: %1").arg(spans.error()));
                else
                    d->server->budgets().setRecorded(spans.value(), before);
            },
            Qt::QueuedConnection);
    });
}

void Host::onConfigRefused(const QString &reason)
{
    d->events.add(Level::Warning, tr("config edit refused: %1").arg(reason));
    emit reloadRefused(reason);
}

void Host::onClientKeysEdited()
{
    emit clientKeysChanged();
    apply(d->active, Change::ClientKeys);
}

void Host::onProviderKeysEdited()
{
    // The keys are read again (new ones only: the vault keeps what it read).
    const quint64 generation = d->generation;
    const quint64 load = ++d->keyLoads;
    QPointer<Host> self(this);
    d->vault->load([self, generation, load](secrets::ProviderKeyring keys, const QStringList &problems) {
        if (!self || self->d->generation != generation || self->d->keyLoads != load)
            return;
        for (const QString &problem : problems)
            self->d->events.add(Level::Warning, tr("provider key unavailable: %1").arg(problem));
        self->d->providerKeys = std::move(keys);
        emit self->providerKeysChanged();
        self->apply(self->d->active, Change::ProviderKeys);
    });
}

void Host::setPaused(bool paused)
{
    if (d->paused.exchange(paused) == paused)
        return;
    {
        QMutexLocker lock(&d->viewMutex);
        if (d->server)
            d->server->setPaused(paused);
    }
    d->events.add(Level::Info,
                  paused ? tr("paused: new requests are answered 503 until resumed")
                         : tr("resumed: requests are served again"));
    const State now = state();
    if (now == State::Serving || now == State::Paused)
        setState(paused ? State::Paused : State::Serving);
}

void Host::stop()
{
    switch (state()) {
    case State::Stopped:
    case State::Failed:
        emit stopped();
        return;
    case State::Stopping:
        return; // stopped() follows
    case State::Starting:
        d->stopWanted = true;
        setState(State::Stopping);
        if (d->phase != Private::Phase::OpeningStore) {
            d->keychainPatience.stop();
            finishStop();
        } // else the store is opening: it ends the stop when it is open
        return;
    case State::Serving:
    case State::Paused:
        setState(State::Stopping);
        d->server->shutdown();
        return;
    }
}

void Host::onServerStopped()
{
    // Every finished request's row is on disk before stopped().
    const quint64 generation = d->generation;
    d->workers.start([this, generation, store = d->store] {
        store->close(); // flushes, then stops the writer
        QMetaObject::invokeMethod(
            this,
            [this, generation] {
                if (generation == d->generation)
                    finishStop();
            },
            Qt::QueuedConnection);
    });
}

void Host::finishStop()
{
    ++d->generation;
    tearDown();
    setState(State::Stopped);
    emit stopped();
}

void Host::pruneNow()
{
    if (d->store && d->store->isOpen())
        d->store->pruneNow();
    else
        d->events.add(Level::Warning, tr("nothing to prune: the usage history is not open"));
}

void Host::fail(StartError error, const QString &reason)
{
    ++d->generation;
    d->keychainPatience.stop();
    tearDown();
    d->events.add(Level::Error, reason);
    setState(State::Failed);
    emit startFailed(reason, error);
}

void Host::tearDown()
{
    d->phase = Private::Phase::Idle;
    d->control.reset(); // closes the socket: attached windows learn the gateway went away
    for (const auto &done : std::exchange(d->pruneWaiters, {}))
        done(Result<qint64>::failure(tr("the gateway stopped before pruning")));
    d->configWatcher.reset();
    d->clientKeyFile.reset();
    d->providerKeyCatalog.reset();
    std::unique_ptr<gateway::GatewayServer> server;
    {
        QMutexLocker lock(&d->viewMutex);
        server = std::move(d->server);
        d->url.clear();
    }
    server.reset(); // cuts what is still in flight (after stop(): nothing)
    if (d->store)
        disconnect(d->store.get(), nullptr, this, nullptr);
    d->store.reset(); // closes unless a worker still holds it (it closes it then)
    d->usage.reset();
    {
        QMutexLocker lock(&d->viewMutex);
        d->totals.reset();
    }
    d->vault.reset();
    d->clientKeys.reset();
    if (d->lock) {
        d->lock->release();
        d->lock.reset();
    }
}

void Host::setState(State state)
{
    if (d->state.exchange(state) != state)
        emit stateChanged(state);
}

} // namespace sy::host
