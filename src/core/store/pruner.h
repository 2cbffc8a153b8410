// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QSqlDatabase>

#include "common/result.h"

namespace sy::store {

// Retention: deletes per-request rows older than the retention period in small
// transactions (so the store's writer can commit batches between them), trims the hourly
// rollups, and gives the freed pages back to the file system (incremental vacuum).
// Daily rollups are kept unless told otherwise.
class Pruner
{
public:
    struct Options
    {
        int retentionMonths = 24;
        int hourlyRetentionDays = 35;
        bool keepDailyAggregates = true;
        int chunkRows = 5000;
    };
    struct Report
    {
        QDateTime cutoff; // rows that started before this were removed
        qint64 requests = 0;
        qint64 hourlyRows = 0;
        qint64 dailyRows = 0;
        qint64 freedPages = 0;
        qint64 pageSize = 0;
    };

    Pruner(QSqlDatabase db, Options options);

    QDateTime cutoff(const QDateTime &nowUtc) const;
    // One transaction of at most chunkRows deletions; 0 when nothing older is left.
    Result<qint64> pruneRequestsChunk(const QDateTime &nowUtc);
    // Rollup trimming and the incremental vacuum, after the last chunk.
    Status finish(const QDateTime &nowUtc, Report &report);
    // Everything at once (the `prune` command and tests).
    Result<Report> pruneAll(const QDateTime &nowUtc);

private:
    Result<qint64> scalar(const QString &sql);

    QSqlDatabase m_db;
    Options m_options;
};

} // namespace sy::store
