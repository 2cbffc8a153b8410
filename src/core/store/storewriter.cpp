// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "storewriter.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>

#include <sqlite3.h>

#include "common/clock.h"
#include "database.h"
#include "logging.h"
#include "schema.h"

namespace sy::store {

namespace {

struct RollupKey
{
    qint64 bucket;
    qint64 client;
    qint64 provider;
    qint64 model;
    friend bool operator==(const RollupKey &, const RollupKey &) = default;
};
size_t qHash(const RollupKey &key, size_t seed = 0)
{
    return qHashMulti(seed, key.bucket, key.client, key.provider, key.model);
}

struct RollupDelta
{
    qint64 requests = 0, errors = 0, input = 0, output = 0, cached = 0, written = 0, reasoning = 0;
    qint64 cost = 0, unknownCost = 0, latency = 0, unpriced = 0;
};

QByteArray upsertSql(const QString &table, const QString &bucket)
{
    return QStringLiteral("INSERT INTO %1 VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                          " ON CONFLICT (%2, client_id, provider_id, model_id) DO UPDATE SET"
                          " requests = requests + excluded.requests, errors = errors + excluded.errors,"
                          " input_tokens = input_tokens + excluded.input_tokens,"
                          " output_tokens = output_tokens + excluded.output_tokens,"
                          " cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,"
                          " cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,"
                          " reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,"
                          " cost_micro_usd = cost_micro_usd + excluded.cost_micro_usd,"
                          " unknown_cost_requests = unknown_cost_requests + excluded.unknown_cost_requests,"
                          " latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum,"
                          " unpriced_requests = unpriced_requests + excluded.unpriced_requests")
        .arg(table, bucket)
        .toUtf8();
}

// Binds the values in order and runs the statement once.
bool step(sqlite3_stmt *statement, std::initializer_list<qint64> values)
{
    int column = 0;
    for (qint64 value : values)
        sqlite3_bind_int64(statement, ++column, value);
    const int rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    return rc == SQLITE_DONE;
}

bool upsert(sqlite3_stmt *statement, const QHash<RollupKey, RollupDelta> &deltas)
{
    for (auto it = deltas.cbegin(); it != deltas.cend(); ++it) {
        const RollupKey &k = it.key();
        const RollupDelta &d = it.value();
        if (!step(statement,
                  {k.bucket, k.client, k.provider, k.model, d.requests, d.errors, d.input, d.output, d.cached,
                   d.written, d.reasoning, d.cost, d.unknownCost, d.latency, d.unpriced}))
            return false;
    }
    return true;
}

// SQLite's last error on this connection, as Qt reports errors (corruption is told apart by code).
QSqlError lastError(QSqlDatabase &db)
{
    sqlite3 *handle = Database::handle(db);
    return QSqlError(QString(), QString::fromUtf8(sqlite3_errmsg(handle)), QSqlError::StatementError,
                     QString::number(sqlite3_extended_errcode(handle) & 0xff));
}

} // namespace

StoreWriter::StoreWriter(QString path, Pruner::Options retention) : m_path(std::move(path)), m_retention(retention) { }

StoreWriter::~StoreWriter()
{
    resetQueries();
    m_database.reset();
}

Status StoreWriter::tryOpen(bool &damaged, bool &newer, QString &why)
{
    damaged = newer = false;
    resetQueries();
    for (auto &labels : m_labels)
        labels.clear();
    m_database = std::make_unique<Database>(m_path, QStringLiteral("writer"), Database::Mode::ReadWrite);
    if (Status status = m_database->open(); !status)
        return status;
    QSqlDatabase &db = m_database->db();
    QSqlQuery query(db);
    // The first read of the header: a file that is not a database fails here.
    if (!query.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !query.next()) {
        damaged = Database::isCorruption(query.lastError());
        why = Database::describe(query.lastError());
        return Status::failure(why);
    }
    const auto version = Schema::version(db);
    if (version && version.value() > Schema::kVersion) {
        newer = true;
        why = QStringLiteral("schema %1 is newer than this Switchyard's %2").arg(version.value()).arg(Schema::kVersion);
        return Status::failure(why);
    }
    query.finish();
    // Migrations first: a new file must get auto_vacuum before WAL writes its header.
    if (Status status = Schema::migrate(db); !status) {
        why = status.error();
        return status;
    }
    // WAL: readers (dashboard, export) never block the writer. NORMAL sync is durable
    // against a killed process; a power cut may lose the last commits, never consistency.
    for (const char *pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"}) {
        if (!query.exec(QString::fromLatin1(pragma))) {
            damaged = Database::isCorruption(query.lastError());
            why = Database::describe(query.lastError());
            return Status::failure(why);
        }
    }
    query.finish();
    const auto prepare = [&db](QSqlQuery &q, const QString &sql) {
        q = QSqlQuery(db);
        return q.prepare(sql);
    };
    static const char kInsert[]
        = "INSERT INTO requests (ts_ms, client_id, provider_id, model_id, route_id, endpoint_id, status, streamed,"
          " outcome, latency_ms, ttfb_ms, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,"
          " reasoning_tokens, cost_micro_usd, price_book_id, attempts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3 *handle = Database::handle(db);
    const QByteArray daily = upsertSql(QStringLiteral("daily"), QStringLiteral("day"));
    const QByteArray hourly = upsertSql(QStringLiteral("hourly"), QStringLiteral("hour"));
    if (!handle || sqlite3_prepare_v2(handle, kInsert, -1, &m_insert, nullptr) != SQLITE_OK
        || sqlite3_prepare_v2(handle, daily.constData(), -1, &m_dailyUpsert, nullptr) != SQLITE_OK
        || sqlite3_prepare_v2(handle, hourly.constData(), -1, &m_hourlyUpsert, nullptr) != SQLITE_OK) {
        why = handle ? QString::fromUtf8(sqlite3_errmsg(handle)) : QStringLiteral("not an SQLite connection");
        return Status::failure(why);
    }
    const bool prepared
        = prepare(m_labelInsert, QStringLiteral("INSERT OR IGNORE INTO labels (kind, value) VALUES (?, ?)"))
        && prepare(m_labelSelect, QStringLiteral("SELECT id FROM labels WHERE kind = ? AND value = ?"));
    if (!prepared) {
        damaged = Database::isCorruption(db.lastError());
        why = Database::describe(db.lastError());
        return Status::failure(why);
    }
    return success();
}

void StoreWriter::moveAside(const QString &reason, Events &events, const QString &why)
{
    resetQueries();
    m_database.reset();
    const QFileInfo info(m_path);
    const QString stamp = Clock::instance().nowUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    const QString target = info.dir().filePath(QStringLiteral("usage.%1-%2.sqlite").arg(reason, stamp));
    // The database with its WAL and shared-memory files, so the set stays readable for a
    // post-mortem. Renamed, never deleted.
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (QFile::exists(m_path + suffix) && !QFile::rename(m_path + suffix, target + suffix))
            qCWarning(lcStore) << "could not move" << m_path + suffix << "aside";
    }
    qCWarning(lcStore).noquote() << "the usage database" << m_path << "is" << reason << "(" << why
                                 << "); moved aside to" << target << "and starting a fresh one";
    events.movedAsideReason = reason == u"newer" ? QStringLiteral("from a newer version: %1").arg(why)
                                                 : QStringLiteral("corrupt: %1").arg(why);
    events.movedAsideTo = target;
}

Status StoreWriter::open(Events &events)
{
    bool damaged = false;
    bool newer = false;
    QString why;
    Status status = tryOpen(damaged, newer, why);
    if (status || (!damaged && !newer))
        return status;
    moveAside(newer ? QStringLiteral("newer") : QStringLiteral("corrupt"), events, why);
    return tryOpen(damaged, newer, why);
}

void StoreWriter::resetQueries()
{
    for (sqlite3_stmt **statement : {&m_insert, &m_dailyUpsert, &m_hourlyUpsert}) {
        sqlite3_finalize(*statement);
        *statement = nullptr;
    }
    for (QSqlQuery *query : {&m_labelInsert, &m_labelSelect})
        *query = QSqlQuery();
}

std::optional<qint64> StoreWriter::label(int kind, const QString &value)
{
    QHash<QString, qint64> &cache = m_labels[kind];
    if (auto it = cache.constFind(value); it != cache.cend())
        return *it;
    // A null QString binds as SQL NULL; an absent label is stored as the empty string.
    const QString text = value.isNull() ? QStringLiteral("") : value;
    m_labelInsert.bindValue(0, kind);
    m_labelInsert.bindValue(1, text);
    if (!m_labelInsert.exec())
        return std::nullopt;
    m_labelSelect.bindValue(0, kind);
    m_labelSelect.bindValue(1, text);
    if (!m_labelSelect.exec() || !m_labelSelect.next())
        return std::nullopt;
    const qint64 id = m_labelSelect.value(0).toLongLong();
    m_labelSelect.finish();
    cache.insert(value, id);
    return id;
}

Status StoreWriter::writeOnce(const std::vector<UsageRecord> &batch, bool &corrupt)
{
    corrupt = false;
    QSqlDatabase &db = m_database->db();
    const auto fail = [&](const QSqlError &error, const char *step) {
        corrupt = Database::isCorruption(error);
        qCDebug(lcStore) << "batch failed at" << step << error.nativeErrorCode() << error.text();
        db.rollback();
        // Label ids inserted in this transaction are gone with it.
        for (auto &labels : m_labels)
            labels.clear();
        return Status::failure(Database::describe(error));
    };
    if (!db.transaction())
        return fail(db.lastError(), "begin");
    QHash<RollupKey, RollupDelta> daily;
    QHash<RollupKey, RollupDelta> hourly;
    for (const UsageRecord &r : batch) {
        const auto client = label(Schema::Client, r.client);
        const auto provider = label(Schema::Provider, r.provider);
        const auto model = label(Schema::Model, r.model);
        const auto route = label(Schema::Route, r.route);
        const auto endpoint = label(Schema::Endpoint, r.endpoint);
        const auto priceBook = label(Schema::PriceBook, r.priceBookVersion);
        if (!client || !provider || !model || !route || !endpoint || !priceBook)
            return fail(m_labelSelect.lastError().isValid() ? m_labelSelect.lastError() : m_labelInsert.lastError(),
                        "label");
        const qint64 ts = r.startedAt.isValid() ? r.startedAt.toMSecsSinceEpoch() : 0;
        const qint64 values[] = {ts,
                                 *client,
                                 *provider,
                                 *model,
                                 *route,
                                 *endpoint,
                                 r.status,
                                 r.streamed ? 1 : 0,
                                 qint64(r.outcome),
                                 r.latencyMs,
                                 r.ttfbMs,
                                 r.inputTokens,
                                 r.outputTokens,
                                 r.cachedInputTokens,
                                 r.cacheWriteTokens,
                                 r.reasoningTokens,
                                 r.costMicroUsd,
                                 *priceBook,
                                 r.attempts};
        // Columns 12 to 17 (five token counts, the cost) hold NULL when unknown, never 0.
        constexpr int kFirstOptional = 11;
        constexpr int kLastOptional = 16;
        for (int i = 0; i < 19; ++i) {
            if (i >= kFirstOptional && i <= kLastOptional && values[i] < 0)
                sqlite3_bind_null(m_insert, i + 1);
            else
                sqlite3_bind_int64(m_insert, i + 1, values[i]);
        }
        const int rc = sqlite3_step(m_insert);
        sqlite3_reset(m_insert);
        if (rc != SQLITE_DONE)
            return fail(lastError(db), "insert");

        // Schema::unpricedCondition(), as live::Figures counts it.
        const bool unpriced = r.costMicroUsd < 0 && r.outcome != Outcome::Rejected
            && (r.inputTokens >= 0 || r.outputTokens >= 0 || (r.ttfbMs >= 0 && r.status > 0 && r.status < 400));
        const auto add = [&](RollupDelta &d) {
            ++d.requests;
            d.errors += (r.status >= 400 || r.outcome != Outcome::Completed) ? 1 : 0;
            // Sums of what is known: an unknown count adds nothing.
            d.input += qMax<qint64>(0, r.inputTokens);
            d.output += qMax<qint64>(0, r.outputTokens);
            d.cached += qMax<qint64>(0, r.cachedInputTokens);
            d.written += qMax<qint64>(0, r.cacheWriteTokens);
            d.reasoning += qMax<qint64>(0, r.reasoningTokens);
            if (r.costMicroUsd >= 0)
                d.cost += r.costMicroUsd;
            else
                ++d.unknownCost;
            d.latency += r.latencyMs;
            d.unpriced += unpriced ? 1 : 0;
        };
        add(daily[RollupKey {ts / 86'400'000, *client, *provider, *model}]);
        add(hourly[RollupKey {ts / 3'600'000, *client, *provider, *model}]);
    }
    // Rollups in the same transaction: they can never disagree with the raw rows.
    if (!upsert(m_dailyUpsert, daily))
        return fail(lastError(db), "daily");
    if (!upsert(m_hourlyUpsert, hourly))
        return fail(lastError(db), "hourly");
    if (!db.commit())
        return fail(db.lastError(), "commit");
    return success();
}

qint64 StoreWriter::write(const std::vector<UsageRecord> &batch, Events &events)
{
    if (!m_database) {
        events.writeError = QStringLiteral("the usage database is not open");
        return 0;
    }
    bool corrupt = false;
    Status status = writeOnce(batch, corrupt);
    if (!status && corrupt) {
        // Damage found while writing: start a fresh file and keep this batch.
        moveAside(QStringLiteral("corrupt"), events, status.error());
        bool damaged = false;
        bool newer = false;
        QString why;
        status = tryOpen(damaged, newer, why);
        if (status)
            status = writeOnce(batch, corrupt);
    }
    if (!status) {
        qCWarning(lcStore).noquote() << "dropped" << batch.size() << "usage records:" << status.error();
        events.writeError = status.error();
        return 0;
    }
    return qint64(batch.size());
}

bool StoreWriter::pruneStep(const QDateTime &nowUtc, Events &events)
{
    if (!m_database)
        return false;
    Pruner pruner(m_database->db(), m_retention);
    const auto removed = pruner.pruneRequestsChunk(nowUtc);
    if (!removed) {
        qCWarning(lcStore).noquote() << "retention failed:" << removed.error();
        m_pruneReport = {};
        events.pruneFinished = true;
        return false;
    }
    m_pruneReport.requests += removed.value();
    if (removed.value() >= m_retention.chunkRows)
        return true;
    if (Status status = pruner.finish(nowUtc, m_pruneReport); !status)
        qCWarning(lcStore).noquote() << "retention failed:" << status.error();
    qCInfo(lcStore) << "retention: removed" << m_pruneReport.requests << "requests before"
                    << m_pruneReport.cutoff.toString(Qt::ISODate) << "," << m_pruneReport.hourlyRows
                    << "hourly rows; freed" << m_pruneReport.freedPages << "pages";
    events.pruned = m_pruneReport.requests;
    events.pruneFinished = true;
    m_pruneReport = {};
    return false;
}

} // namespace sy::store
