// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "usagequery.h"

#include <limits>

#include <QSqlError>
#include <QSqlQuery>

#include "database.h"

namespace sy::store {

UsageQuery::UsageQuery(QString dataDir) : m_dataDir(std::move(dataDir)) { }

UsageQuery::~UsageQuery() = default;

Status UsageQuery::open()
{
    m_database
        = std::make_unique<Database>(Database::filePath(m_dataDir), QStringLiteral("query"), Database::Mode::ReadOnly);
    return m_database->open();
}

Status UsageQuery::refreshLabels()
{
    QSqlQuery query(m_database->db());
    query.setForwardOnly(true);
    // Labels only grow; read the new ones.
    query.prepare(QStringLiteral("SELECT id, value FROM labels WHERE id > ?"));
    qint64 known = 0;
    for (auto it = m_labels.cbegin(); it != m_labels.cend(); ++it)
        known = qMax(known, it.key());
    query.addBindValue(known);
    if (!query.exec())
        return Status::failure(Database::describe(query.lastError()));
    while (query.next())
        m_labels.insert(query.value(0).toLongLong(), query.value(1).toString());
    return success();
}

Result<QHash<QString, QDateTime>> UsageQuery::lastUsedByClient()
{
    using R = Result<QHash<QString, QDateTime>>;
    constexpr qint64 kDayMs = 86'400'000;
    if (!m_database)
        return R::failure(QStringLiteral("the usage query is not open"));
    if (Status status = refreshLabels(); !status)
        return R::failure(status.error());
    QSqlQuery days(m_database->db());
    days.setForwardOnly(true);
    if (!days.exec(QStringLiteral("SELECT client_id, max(day) FROM daily GROUP BY client_id")))
        return R::failure(Database::describe(days.lastError()));
    QSqlQuery latest(m_database->db());
    latest.prepare(QStringLiteral("SELECT max(ts_ms) FROM requests WHERE ts_ms >= ? AND ts_ms < ? AND client_id = ?"));
    QHash<QString, QDateTime> lastUsed;
    while (days.next()) {
        const qint64 clientId = days.value(0).toLongLong();
        const qint64 dayStart = days.value(1).toLongLong() * kDayMs;
        latest.addBindValue(dayStart);
        latest.addBindValue(dayStart + kDayMs);
        latest.addBindValue(clientId);
        if (!latest.exec() || !latest.next())
            return R::failure(Database::describe(latest.lastError()));
        const qint64 at = latest.value(0).isNull() ? dayStart : latest.value(0).toLongLong();
        lastUsed.insert(m_labels.value(clientId), QDateTime::fromMSecsSinceEpoch(at, Qt::UTC));
    }
    return lastUsed;
}

Result<QList<UsageAggregate>> UsageQuery::aggregate(const Request &request)
{
    using R = Result<QList<UsageAggregate>>;
    if (!m_database)
        return R::failure(QStringLiteral("the usage query is not open"));
    if (Status status = refreshLabels(); !status)
        return R::failure(status.error());
    const bool daily = request.granularity == Granularity::Day;
    const qint64 bucketMs = daily ? 86'400'000 : 3'600'000;
    const QString bucket = daily ? QStringLiteral("day") : QStringLiteral("hour");
    const QString client = request.byClient ? QStringLiteral("client_id") : QStringLiteral("0");
    const QString provider = request.byProvider ? QStringLiteral("provider_id") : QStringLiteral("0");
    const QString model = request.byModel ? QStringLiteral("model_id") : QStringLiteral("0");
    QSqlQuery query(m_database->db());
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT %1, %2, %3, %4, sum(requests), sum(errors), sum(input_tokens),"
                       " sum(output_tokens), sum(cached_input_tokens), sum(cache_write_tokens),"
                       " sum(reasoning_tokens), sum(cost_micro_usd), sum(unknown_cost_requests),"
                       " sum(latency_ms_sum) FROM %5 WHERE %1 >= ? AND %1 < ?"
                       " GROUP BY 1, 2, 3, 4 ORDER BY 1")
            .arg(bucket, client, provider, model, daily ? QStringLiteral("daily") : QStringLiteral("hourly")));
    // Buckets that overlap the range: from rounds down, to rounds up.
    const qint64 from
        = request.from.isValid() ? request.from.toMSecsSinceEpoch() / bucketMs : std::numeric_limits<qint64>::min();
    const qint64 to = request.to.isValid() ? (request.to.toMSecsSinceEpoch() + bucketMs - 1) / bucketMs
                                           : std::numeric_limits<qint64>::max();
    query.addBindValue(from);
    query.addBindValue(to);
    if (!query.exec())
        return R::failure(Database::describe(query.lastError()));
    QList<UsageAggregate> rows;
    while (query.next()) {
        UsageAggregate row;
        row.bucketStart = QDateTime::fromMSecsSinceEpoch(query.value(0).toLongLong() * bucketMs, Qt::UTC);
        row.client = m_labels.value(query.value(1).toLongLong());
        row.provider = m_labels.value(query.value(2).toLongLong());
        row.model = m_labels.value(query.value(3).toLongLong());
        row.requests = query.value(4).toLongLong();
        row.errors = query.value(5).toLongLong();
        row.inputTokens = query.value(6).toLongLong();
        row.outputTokens = query.value(7).toLongLong();
        row.cachedInputTokens = query.value(8).toLongLong();
        row.cacheWriteTokens = query.value(9).toLongLong();
        row.reasoningTokens = query.value(10).toLongLong();
        row.costMicroUsd = query.value(11).toLongLong();
        row.unknownCostRequests = query.value(12).toLongLong();
        row.latencyMsSum = query.value(13).toLongLong();
        rows.append(row);
    }
    if (query.lastError().isValid())
        return R::failure(Database::describe(query.lastError()));
    return rows;
}

} // namespace sy::store
