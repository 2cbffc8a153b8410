// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "pruner.h"

#include <QSqlError>
#include <QSqlQuery>

#include "database.h"

namespace sy::store {

Pruner::Pruner(QSqlDatabase db, Options options) : m_db(std::move(db)), m_options(options) { }

QDateTime Pruner::cutoff(const QDateTime &nowUtc) const
{
    return nowUtc.toUTC().addMonths(-qMax(1, m_options.retentionMonths));
}

Result<qint64> Pruner::scalar(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql) || !query.next())
        return Result<qint64>::failure(Database::describe(query.lastError()));
    return query.value(0).toLongLong();
}

Result<qint64> Pruner::pruneRequestsChunk(const QDateTime &nowUtc)
{
    // Oldest first through the ts index; the LIMIT keeps each transaction short.
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("DELETE FROM requests WHERE id IN"
                                 " (SELECT id FROM requests WHERE ts_ms < ? ORDER BY ts_ms LIMIT ?)"));
    query.addBindValue(cutoff(nowUtc).toMSecsSinceEpoch());
    query.addBindValue(m_options.chunkRows);
    if (!query.exec())
        return Result<qint64>::failure(Database::describe(query.lastError()));
    return qint64(query.numRowsAffected());
}

Status Pruner::finish(const QDateTime &nowUtc, Report &report)
{
    report.cutoff = cutoff(nowUtc);
    QSqlQuery query(m_db);
    const qint64 hourCutoff = nowUtc.toMSecsSinceEpoch() / 3'600'000 - qint64(m_options.hourlyRetentionDays) * 24;
    query.prepare(QStringLiteral("DELETE FROM hourly WHERE hour < ?"));
    query.addBindValue(hourCutoff);
    if (!query.exec())
        return Status::failure(Database::describe(query.lastError()));
    report.hourlyRows += query.numRowsAffected();
    if (!m_options.keepDailyAggregates) {
        query.prepare(QStringLiteral("DELETE FROM daily WHERE day < ?"));
        query.addBindValue(report.cutoff.toMSecsSinceEpoch() / 86'400'000);
        if (!query.exec())
            return Status::failure(Database::describe(query.lastError()));
        report.dailyRows += query.numRowsAffected();
    }
    const auto before = scalar(QStringLiteral("PRAGMA freelist_count"));
    const auto pageSize = scalar(QStringLiteral("PRAGMA page_size"));
    if (!before || !pageSize)
        return Status::failure(before ? pageSize.error() : before.error());
    // incremental_vacuum frees one page per step and Qt steps a pragma only once, so it
    // runs through SQLite's own exec, which steps to the end.
    if (Status status = Database::execToCompletion(m_db, "PRAGMA incremental_vacuum"); !status)
        return status;
    const auto after = scalar(QStringLiteral("PRAGMA freelist_count"));
    if (!after)
        return Status::failure(after.error());
    report.freedPages += before.value() - after.value();
    report.pageSize = pageSize.value();
    return success();
}

Result<Pruner::Report> Pruner::pruneAll(const QDateTime &nowUtc)
{
    Report report;
    for (;;) {
        const auto removed = pruneRequestsChunk(nowUtc);
        if (!removed)
            return Result<Report>::failure(removed.error());
        report.requests += removed.value();
        if (removed.value() < m_options.chunkRows)
            break;
    }
    if (Status status = finish(nowUtc, report); !status)
        return Result<Report>::failure(status.error());
    return report;
}

} // namespace sy::store
