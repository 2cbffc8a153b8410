// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <QByteArray>
#include <QObject>
#include <QString>

#include "common/result.h"
#include "common/usagerecord.h"
#include "common/usagesink.h"

namespace sy::store {

class StoreWriter;

// The durable usage history: <dataDir>/usage.sqlite, written by one thread of its own.
// record() only appends to a queue (gateway threads never wait for the disk); the writer
// commits in batches every 250 ms or 1,000 rows, with the daily and hourly rollups updated
// in the same transaction, and applies retention at open and daily. flush() blocks until
// everything recorded before it is committed: call it on SIGTERM/SIGINT before exit.
//
// A corrupt database, or one from a newer Switchyard, is moved aside (never deleted) with
// a clear warning, and a fresh one starts: recording continues.
//
// Rows that cannot be written (a full disk, mostly) are kept in memory, up to
// maxHeldRows, and written when a retry succeeds; only rows beyond that bound are lost,
// and counted. A database that cannot even be opened because the disk is full pauses
// the history the same way instead of turning it off.
class MetricsStore final : public QObject, public UsageSink
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsStore)

public:
    struct Options
    {
        QString dataDir;
        int retentionMonths = 24; // the config's retention_months
        int hourlyRetentionDays = 35;
        bool keepDailyAggregates = true;
        std::chrono::milliseconds batchInterval {250};
        int batchRows = 1000;
        int maxQueuedRows = 1'000'000; // beyond this (a stuck writer), records are dropped and counted
        int maxHeldRows = 100'000; // kept while writes fail; beyond this, dropped and counted
        std::chrono::milliseconds retryInterval {1000}; // between attempts while writes fail
    };
    struct Stats
    {
        qint64 committed = 0;
        qint64 dropped = 0; // lost for good: over a bound, or still unwritten at close
        qint64 held = 0; // waiting in memory for the disk (or the database) to take them
        qint64 writeErrors = 0; // failed attempts to write a batch
        qint64 batches = 0;
        qint64 pruned = 0;
        int recoveries = 0;
    };

    explicit MetricsStore(Options options, QObject *parent = nullptr);
    ~MetricsStore() override; // flushes and stops the writer

    // Starts the writer and opens (creating or migrating) the database. Fails only when no
    // database can be opened at all (e.g. the data dir is not writable).
    Status open();
    bool isOpen() const;
    QString databasePath() const;

    void record(const UsageRecord &record) override; // thread-safe, never blocks on I/O
    // Blocks until every record recorded before the call is committed (or dropped on a
    // write error); false on timeout. -1 waits as long as it takes.
    bool flush(int timeoutMs = -1);
    // Runs retention now instead of waiting for the daily run.
    void pruneNow();
    // Flushes, stops the writer and closes the database.
    void close();

    Stats stats() const;
    // What the user should hear about the store at open: why and where the previous
    // database was moved aside, or that the history is paused for a full disk.
    QString recoveryNote() const;
    // The store's counters for GET /metrics (Prometheus text): rows committed, waiting
    // and dropped, and failed writes.
    QByteArray prometheusText() const;

signals:
    // Emitted on the writer thread; connect with a context object (queued).
    void databaseMovedAside(const QString &reason, const QString &movedTo);
    void writeFailed(const QString &error);
    void pruned(qint64 requests);
    void committed(qint64 rows); // a batch is on disk: history views may refresh

private:
    friend class StoreWriter;
    void run();
    bool diskFull() const;

    Options m_options;
    std::unique_ptr<StoreWriter> m_writer;
    std::thread m_thread;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake; // the writer waits here
    std::condition_variable m_progress; // flush() and open() wait here
    std::vector<UsageRecord> m_queue;
    qint64 m_enqueued = 0;
    qint64 m_processed = 0; // committed + dropped after enqueue
    bool m_stop = false;
    bool m_flushWanted = false;
    bool m_pruneWanted = false;
    bool m_ready = false;
    bool m_running = false;
    Status m_openStatus = success();
    Stats m_stats;
    QString m_recoveryNote;
};

} // namespace sy::store
