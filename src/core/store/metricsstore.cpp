// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "metricsstore.h"

#include <QDir>

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
        if (!events.writeError.isEmpty())
            emit writeFailed(events.writeError);
        if (events.pruneFinished)
            emit pruned(events.pruned);
    };

    {
        StoreWriter::Events events;
        const Status status = writer.open(events);
        report(events);
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
    auto deadline = std::chrono::steady_clock::now() + m_options.batchInterval;
    for (;;) {
        bool stopping = false;
        {
            std::unique_lock lock(m_mutex);
            const auto due = [&] {
                return m_stop || m_flushWanted || m_pruneWanted || qsizetype(m_queue.size()) >= m_options.batchRows;
            };
            if (!pruning)
                m_wake.wait_until(lock, deadline, due);
            batch.swap(m_queue);
            m_flushWanted = false;
            if (m_pruneWanted) {
                m_pruneWanted = false;
                pruning = true;
            }
            stopping = m_stop;
        }
        if (std::chrono::steady_clock::now() >= deadline || !batch.empty())
            deadline = std::chrono::steady_clock::now() + m_options.batchInterval;

        StoreWriter::Events events;
        qint64 committed = 0;
        if (!batch.empty())
            committed = writer.write(batch, events);
        const QDateTime now = Clock::instance().nowUtc();
        if (!pruning && (!nextPrune.isValid() || now >= nextPrune))
            pruning = true;
        if (pruning && !stopping) {
            pruning = writer.pruneStep(now, events);
            if (!pruning)
                nextPrune = now.addDays(1);
        }
        {
            std::lock_guard lock(m_mutex);
            m_processed += qint64(batch.size());
            m_stats.committed += committed;
            m_stats.dropped += qint64(batch.size()) - committed;
            m_stats.batches += batch.empty() ? 0 : 1;
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
