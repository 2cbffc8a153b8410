// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "schema.h"

#include <tuple>

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include "common/usagerecord.h"
#include "database.h"
#include "logging.h"

namespace sy::store {

namespace {

Status run(QSqlDatabase &db, const QStringList &statements)
{
    QSqlQuery query(db);
    for (const QString &sql : statements) {
        if (!query.exec(sql))
            return Status::failure(Database::describe(query.lastError()));
    }
    return success();
}

QString rollupTable(const QString &name, const QString &bucket)
{
    return QStringLiteral("CREATE TABLE %1 ("
                          " %2 INTEGER NOT NULL,"
                          " client_id INTEGER NOT NULL, provider_id INTEGER NOT NULL, model_id INTEGER NOT NULL,"
                          " requests INTEGER NOT NULL, errors INTEGER NOT NULL,"
                          " input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,"
                          " cached_input_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL,"
                          " reasoning_tokens INTEGER NOT NULL,"
                          " cost_micro_usd INTEGER NOT NULL, unknown_cost_requests INTEGER NOT NULL,"
                          " latency_ms_sum INTEGER NOT NULL,"
                          " PRIMARY KEY (%2, client_id, provider_id, model_id)) WITHOUT ROWID")
        .arg(name, bucket);
}

QString backfill(const QString &name, qint64 bucketMs)
{
    return QStringLiteral("INSERT INTO %1 SELECT ts_ms / %2, client_id, provider_id, model_id,"
                          " count(*), sum(status >= 400 OR outcome <> 0),"
                          " sum(max(input_tokens, 0)), sum(max(output_tokens, 0)),"
                          " sum(cached_input_tokens), sum(cache_write_tokens), sum(reasoning_tokens),"
                          " coalesce(sum(cost_micro_usd), 0), sum(cost_micro_usd IS NULL), sum(latency_ms)"
                          " FROM requests GROUP BY 1, 2, 3, 4")
        .arg(name)
        .arg(bucketMs);
}

Status migrateTo1(QSqlDatabase &db)
{
    return run(db,
               {
                   QStringLiteral("CREATE TABLE labels (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
                                  " value TEXT NOT NULL, UNIQUE (kind, value))"),
                   QStringLiteral("CREATE TABLE requests ("
                                  " id INTEGER PRIMARY KEY,"
                                  " ts_ms INTEGER NOT NULL," // started at, ms since the epoch, UTC
                                  " client_id INTEGER NOT NULL, provider_id INTEGER NOT NULL,"
                                  " model_id INTEGER NOT NULL, route_id INTEGER NOT NULL,"
                                  " endpoint_id INTEGER NOT NULL,"
                                  " status INTEGER NOT NULL, streamed INTEGER NOT NULL, outcome INTEGER NOT NULL,"
                                  " latency_ms INTEGER NOT NULL, ttfb_ms INTEGER NOT NULL,"
                                  " input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,"
                                  " cached_input_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL,"
                                  " reasoning_tokens INTEGER NOT NULL,"
                                  " cost_micro_usd INTEGER," // NULL: unknown
                                  " price_book_id INTEGER NOT NULL, attempts INTEGER NOT NULL)"),
                   QStringLiteral("CREATE INDEX requests_ts ON requests (ts_ms)"),
               });
}

Status migrateTo2(QSqlDatabase &db)
{
    return run(db,
               {
                   rollupTable(QStringLiteral("daily"), QStringLiteral("day")),
                   rollupTable(QStringLiteral("hourly"), QStringLiteral("hour")),
                   backfill(QStringLiteral("daily"), 86'400'000),
                   backfill(QStringLiteral("hourly"), 3'600'000),
               });
}

// Token counts become nullable: NULL is unknown, where schema 1 and 2 stored -1 (input,
// output) and 0 (cached input, cache writes, reasoning, even beside an unknown input and
// output). SQLite cannot drop NOT NULL in place, so the table is copied (the documented
// way: a new table, copy, drop, rename), ids and order kept.
Status migrateTo3(QSqlDatabase &db)
{
    const QString unknownUsage = QStringLiteral("(input_tokens < 0 AND output_tokens < 0)");
    return run(
        db,
        {
            QStringLiteral("CREATE TABLE requests_v3 ("
                           " id INTEGER PRIMARY KEY,"
                           " ts_ms INTEGER NOT NULL," // started at, ms since the epoch, UTC
                           " client_id INTEGER NOT NULL, provider_id INTEGER NOT NULL,"
                           " model_id INTEGER NOT NULL, route_id INTEGER NOT NULL,"
                           " endpoint_id INTEGER NOT NULL,"
                           " status INTEGER NOT NULL, streamed INTEGER NOT NULL, outcome INTEGER NOT NULL,"
                           " latency_ms INTEGER NOT NULL, ttfb_ms INTEGER NOT NULL,"
                           // Token counts and cost: NULL is unknown.
                           " input_tokens INTEGER, output_tokens INTEGER,"
                           " cached_input_tokens INTEGER, cache_write_tokens INTEGER,"
                           " reasoning_tokens INTEGER,"
                           " cost_micro_usd INTEGER,"
                           " price_book_id INTEGER NOT NULL, attempts INTEGER NOT NULL)"),
            QStringLiteral("INSERT INTO requests_v3 SELECT id, ts_ms, client_id, provider_id, model_id, route_id,"
                           " endpoint_id, status, streamed, outcome, latency_ms, ttfb_ms,"
                           " CASE WHEN input_tokens < 0 THEN NULL ELSE input_tokens END,"
                           " CASE WHEN output_tokens < 0 THEN NULL ELSE output_tokens END,"
                           " CASE WHEN %1 THEN NULL ELSE cached_input_tokens END,"
                           " CASE WHEN %1 THEN NULL ELSE cache_write_tokens END,"
                           " CASE WHEN %1 THEN NULL ELSE reasoning_tokens END,"
                           " cost_micro_usd, price_book_id, attempts FROM requests ORDER BY id")
                .arg(unknownUsage),
            QStringLiteral("DROP TABLE requests"),
            QStringLiteral("ALTER TABLE requests_v3 RENAME TO requests"),
            QStringLiteral("CREATE INDEX requests_ts ON requests (ts_ms)"),
        });
}

// Rollups learn to count unpriced requests the way the live figures do (unknown_cost_requests
// also counts refused and failed requests, which cost nothing). Rows already pruned from
// `requests` cannot be recounted: their days keep 0.
Status migrateTo4(QSqlDatabase &db)
{
    QStringList statements;
    for (const auto &[table, bucket, bucketMs] :
         {std::tuple {"daily", "day", 86'400'000}, std::tuple {"hourly", "hour", 3'600'000}}) {
        const QString name = QString::fromLatin1(table);
        const QString column = QString::fromLatin1(bucket);
        statements << QStringLiteral("ALTER TABLE %1 ADD COLUMN unpriced_requests INTEGER NOT NULL DEFAULT 0").arg(name)
                   << QStringLiteral("UPDATE %1 SET unpriced_requests = u.n FROM (SELECT ts_ms / %3 AS b,"
                                     " client_id AS c, provider_id AS p, model_id AS m, count(*) AS n"
                                     " FROM requests WHERE %4 GROUP BY 1, 2, 3, 4) AS u"
                                     " WHERE %1.%2 = u.b AND %1.client_id = u.c AND %1.provider_id = u.p"
                                     " AND %1.model_id = u.m")
                          .arg(name, column)
                          .arg(bucketMs)
                          .arg(Schema::unpricedCondition());
    }
    return run(db, statements);
}

} // namespace

QString Schema::unpricedCondition()
{
    return QStringLiteral("(cost_micro_usd IS NULL AND outcome <> %1 AND (input_tokens IS NOT NULL"
                          " OR output_tokens IS NOT NULL OR (ttfb_ms >= 0 AND status > 0 AND status < 400)))")
        .arg(int(Outcome::Rejected));
}

Result<int> Schema::version(QSqlDatabase &db)
{
    QSqlQuery query(db);
    // Reading sqlite_master touches the file header and schema: a non-database fails here.
    if (!query.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !query.next())
        return Result<int>::failure(Database::describe(query.lastError()));
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return Result<int>::failure(Database::describe(query.lastError()));
    return query.value(0).toInt();
}

Status Schema::migrate(QSqlDatabase &db, int target)
{
    const auto current = version(db);
    if (!current)
        return Status::failure(current.error());
    if (current.value() > kVersion)
        return Status::failure(
            QStringLiteral("the usage database is from a newer Switchyard (schema %1, this version knows %2)")
                .arg(current.value())
                .arg(kVersion));
    if (current.value() == 0) {
        // Before the first table and outside a transaction, or SQLite ignores it: lets
        // incremental vacuum give pruned pages back to the file system.
        if (Status status = run(db, {QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL")}); !status)
            return status;
    }
    using Step = Status (*)(QSqlDatabase &);
    const Step steps[] = {migrateTo1, migrateTo2, migrateTo3, migrateTo4};
    for (int next = current.value() + 1; next <= target; ++next) {
        // One transaction per step, so a crash mid-migration leaves the previous version.
        if (!db.transaction())
            return Status::failure(Database::describe(db.lastError()));
        Status status = steps[next - 1](db);
        if (status)
            status = run(db, {QStringLiteral("PRAGMA user_version = %1").arg(next)});
        if (!status || !db.commit()) {
            db.rollback();
            return Status::failure(QStringLiteral("migrating the usage database to schema %1: %2")
                                       .arg(next)
                                       .arg(status ? Database::describe(db.lastError()) : status.error()));
        }
        if (current.value() > 0) // a new database is not news step by step
            qCInfo(lcStore) << "usage database migrated to schema" << next;
    }
    if (current.value() == 0 && target > 0)
        qCInfo(lcStore) << "usage database created at schema" << target;
    return success();
}

} // namespace sy::store
