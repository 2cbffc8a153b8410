// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "metricsstore.h"

#include <QDir>
#include <QStorageInfo>

#include "common/clock.h"
#include "database.h"
#include "logging.h"
#include "storewriter.h"

namespace sy::store {

MetricsStore::MetricsStore(Options options, QObject *parent) : QObject(parent), m_options(std::move(options)) { }

MetricsStore::~MetricsStore()
{
    close();
}

QString MetricsStore::databasePath() const
{
    return Database::filePath(m_options.dataDir);
}

Status MetricsStore::open()
{
    if (m_thread.joinable())
        return Status::failure(QStringLiteral("the usage store is already open"));
    if (!QDir().mkpath(m_options.dataDir))
        return Status::failure(QStringLiteral("cannot create the data directory %1").arg(m_options.dataDir));
    {
        std::lock_guard lock(m_mutex);
        m_stop = false;
        m_ready = false;
    }
    m_thread = std::thread([this] { run(); });
    std::unique_lock lock(m_mutex);
    m_progress.wait(lock, [this] { return m_ready; });
    const Status status = m_openStatus;
    lock.unlock();
    if (!status) {
        m_thread.join();
        qCWarning(lcStore).noquote() << "cannot open the usage database" << databasePath() << ":" << status.error();
    }
    return status;
}

bool MetricsStore::isOpen() const
{
    std::lock_guard lock(m_mutex);
    return m_running;
}

void MetricsStore::record(const UsageRecord &record)
{
    std::lock_guard lock(m_mutex);
    if (!m_running || qsizetype(m_queue.size()) >= m_options.maxQueuedRows) {
        ++m_stats.dropped;
        return;
    }
    m_queue.push_back(record);
    ++m_enqueued;
    if (qsizetype(m_queue.size()) >= m_options.batchRows)
        m_wake.notify_one();
}

bool MetricsStore::flush(int timeoutMs)
{
    std::unique_lock lock(m_mutex);
    const qint64 target = m_enqueued;
    m_flushWanted = true;
    m_wake.notify_one();
    const auto done = [&] { return m_processed >= target || !m_running; };
    if (timeoutMs < 0) {
        m_progress.wait(lock, done);
        return m_processed >= target;
    }
    return m_progress.wait_for(lock, std::chrono::milliseconds(timeoutMs), done) && m_processed >= target;
}

void MetricsStore::pruneNow()
{
    std::lock_guard lock(m_mutex);
    m_pruneWanted = true;
    m_wake.notify_one();
}

void MetricsStore::close()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_wake.notify_one();
    }
    m_thread.join(); // the writer drains the queue before it stops
}

MetricsStore::Stats MetricsStore::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

QString MetricsStore::recoveryNote() const
{
    std::lock_guard lock(m_mutex);
    return m_recoveryNote;
}

bool MetricsStore::diskFull() const
{
    // Less than this free is full for SQLite's purposes: a transaction needs pages for the
    // WAL and the shared-memory index before it writes a row.
    constexpr qint64 kFullBelowBytes = 1024 * 1024;
    const QStorageInfo storage(m_options.dataDir);
    return storage.isValid() && storage.bytesAvailable() < kFullBelowBytes;
}

QByteArray MetricsStore::prometheusText() const
{
    Stats stats;
    qint64 queued = 0;
    {
        std::lock_guard lock(m_mutex);
        stats = m_stats;
        queued = qint64(m_queue.size());
    }
    QByteArray out;
    const auto metric = [&out](const char *name, const char *type, const char *help, qint64 value) {
        out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n' + name + ' '
            + QByteArray::number(value) + '\n';
    };
    metric("switchyard_usage_rows_committed_total", "counter", "Usage rows written to the usage database.",
           stats.committed);
    metric("switchyard_usage_rows_pending", "gauge",
           "Usage rows in memory, not yet in the database (waiting for space on a full disk, or queued).",
           stats.held + queued);
    metric("switchyard_usage_rows_dropped_total", "counter",
           "Usage rows lost: beyond the rows kept while writes failed, or still unwritten at exit.", stats.dropped);
    metric("switchyard_usage_write_errors_total", "counter", "Failed attempts to write usage rows.", stats.writeErrors);
    return out;
}

void MetricsStore::run()
{
    Pruner::Options retention;
    retention.retentionMonths = m_options.retentionMonths;
    retention.hourlyRetentionDays = m_options.hourlyRetentionDays;
    retention.keepDailyAggregates = m_options.keepDailyAggregates;
    StoreWriter writer(databasePath(), retention);

    const auto report = [this](const StoreWriter::Events &events) {
        if (!events.movedAsideTo.isEmpty()) {
            {
                std::lock_guard lock(m_mutex);
                ++m_stats.recoveries;
                m_recoveryNote = QStringLiteral("The usage database was %1. It was moved to %2 and a new one started.")
                                     .arg(events.movedAsideReason, events.movedAsideTo);
            }
            emit databaseMovedAside(events.movedAsideReason, events.movedAsideTo);
        }
        if (events.pruneFinished)
            emit pruned(events.pruned);
    };
    const auto pausedNote = [this](const QString &why) {
        return QStringLiteral("usage history is paused: the disk holding %1 is full (%2); rows are kept in memory "
                              "(up to %3) and written when space returns")
            .arg(QDir::toNativeSeparators(m_options.dataDir), why)
            .arg(m_options.maxHeldRows);
    };

    bool opened = false;
    {
        StoreWriter::Events events;
        Status status = writer.open(events);
        report(events);
        opened = status.ok();
        if (!opened && diskFull()) {
            // Paused, not off: the gateway keeps serving and the rows wait for space.
            const QString note = pausedNote(status.error());
            qCWarning(lcStore).noquote() << note;
            std::lock_guard lock(m_mutex);
            m_recoveryNote = m_recoveryNote.isEmpty() ? note : m_recoveryNote + u' ' + note;
            ++m_stats.writeErrors;
            status = success();
        }
        std::lock_guard lock(m_mutex);
        m_openStatus = status;
        m_running = status.ok();
        m_ready = true;
        m_progress.notify_all();
        if (!status)
            return;
    }

    // Retention runs at start and then daily, a chunk per turn so batches interleave.
    bool pruning = true;
    QDateTime nextPrune;
    std::vector<UsageRecord> batch;
    batch.reserve(size_t(m_options.batchRows));
    std::vector<UsageRecord> held; // rows whose writing failed, oldest first
    bool failing = !opened;
    qint64 droppedInEpisode = 0;
    auto nextRetry = std::chrono::steady_clock::now() + m_options.retryInterval;
    auto deadline = std::chrono::steady_clock::now() + m_options.batchInterval;
    for (;;) {
        bool stopping = false;
        {
            std::unique_lock lock(m_mutex);
            const auto due = [&] {
                return m_stop || m_flushWanted || m_pruneWanted || qsizetype(m_queue.size()) >= m_options.batchRows;
            };
            if (!pruning || failing)
                m_wake.wait_until(lock, deadline, due);
            batch.swap(m_queue);
            m_flushWanted = false;
            if (m_pruneWanted) {
                m_pruneWanted = false;
                pruning = true;
            }
            stopping = m_stop;
        }
        const qint64 fresh = qint64(batch.size());
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline || !batch.empty())
            deadline = now + m_options.batchInterval;
        if (!held.empty()) {
            held.insert(held.end(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
            batch.swap(held);
            held.clear();
        }

        StoreWriter::Events events;
        qint64 committed = 0;
        qint64 dropped = 0;
        qint64 writeErrors = 0;
        // While writes fail, try again only now and then (and once more before exit).
        const bool attempt = (!batch.empty() || !opened) && (!failing || now >= nextRetry || stopping);
        if (attempt) {
            QString error;
            if (!opened) {
                const Status status = writer.open(events);
                opened = status.ok();
                error = status.error();
            }
            if (opened && !batch.empty()) {
                committed = writer.write(batch, events);
                error = events.writeError;
            }
            if (opened && committed == qint64(batch.size())) {
                if (failing) {
                    qCInfo(lcStore) << "usage history resumed:" << committed << "rows written";
                    std::lock_guard lock(m_mutex);
                    if (m_recoveryNote.startsWith(u"usage history is paused"))
                        m_recoveryNote.clear();
                }
                failing = false;
                droppedInEpisode = 0;
                batch.clear();
            } else {
                ++writeErrors;
                nextRetry = now + m_options.retryInterval;
                if (!failing) {
                    qCWarning(lcStore).noquote()
                        << "cannot write usage rows (" << error << "); keeping them in memory (up to"
                        << m_options.maxHeldRows << ") and trying again every"
                        << qint64(m_options.retryInterval.count()) << "ms";
                    emit writeFailed(error);
                }
                failing = true;
                if (!opened && diskFull()) {
                    std::lock_guard lock(m_mutex);
                    if (m_recoveryNote.isEmpty())
                        m_recoveryNote = pausedNote(error);
                }
            }
        }
        if (!batch.empty()) {
            if (stopping) {
                dropped = qint64(batch.size());
                qCWarning(lcStore) << dropped << "usage rows could not be written before exit: lost";
                batch.clear();
            } else if (qsizetype(batch.size()) > m_options.maxHeldRows) {
                // Over the bound: the oldest go, so that today's spend (budgets) survives.
                dropped = qint64(batch.size()) - m_options.maxHeldRows;
                if (droppedInEpisode == 0)
                    qCWarning(lcStore) << "more than" << m_options.maxHeldRows
                                       << "usage rows wait for the disk: dropping the oldest";
                droppedInEpisode += dropped;
                batch.erase(batch.begin(), batch.begin() + dropped);
            }
            held.swap(batch);
        }
        const QDateTime nowUtc = Clock::instance().nowUtc();
        if (!pruning && (!nextPrune.isValid() || nowUtc >= nextPrune))
            pruning = true;
        if (pruning && !stopping && opened && !failing) {
            pruning = writer.pruneStep(nowUtc, events);
            if (!pruning)
                nextPrune = nowUtc.addDays(1);
        }
        {
            std::lock_guard lock(m_mutex);
            // Every row taken from the queue has been tried (or is waiting): flush() is answered.
            m_processed += fresh;
            m_stats.committed += committed;
            m_stats.dropped += dropped;
            m_stats.held = qint64(held.size());
            m_stats.writeErrors += writeErrors;
            m_stats.batches += committed > 0 ? 1 : 0;
            m_stats.pruned += events.pruned;
            if (stopping && m_queue.empty())
                m_running = false;
        }
        m_progress.notify_all();
        report(events);
        if (committed > 0)
            emit this->committed(committed);
        batch.clear();
        if (stopping) {
            std::lock_guard lock(m_mutex);
            if (m_queue.empty())
                break;
        }
    }
}

} // namespace sy::store
