// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "usagequery.h"

#include <algorithm>
#include <limits>
#include <tuple>

#include <QSqlError>
#include <QSqlQuery>

#include "database.h"
#include "schema.h"

namespace sy::store {

namespace {

constexpr qint64 kHourMs = 3'600'000;
constexpr qint64 kDayMs = 86'400'000;
constexpr qint64 kMin = std::numeric_limits<qint64>::min(); // no lower bound
constexpr qint64 kMax = std::numeric_limits<qint64>::max(); // no upper bound

// Rounding that keeps the open ends open.
qint64 floorTo(qint64 ms, qint64 unit)
{
    if (ms == kMin || ms == kMax)
        return ms;
    return (ms >= 0 ? ms / unit : (ms - unit + 1) / unit) * unit;
}
qint64 ceilTo(qint64 ms, qint64 unit)
{
    if (ms == kMin || ms == kMax)
        return ms;
    const qint64 down = floorTo(ms, unit);
    return down == ms ? ms : down + unit;
}
qint64 bucketOf(qint64 ms, qint64 unit)
{
    return ms == kMin || ms == kMax ? ms : floorTo(ms, unit) / unit;
}

} // namespace

// Part of a range, answered by one table: raw rows by ms, or rollup buckets [from, to).
struct UsageQuery::Span
{
    enum Source { Raw, Hourly, Daily } source;
    qint64 from;
    qint64 to;
};

UsageQuery::UsageQuery(QString dataDir) : m_dataDir(std::move(dataDir)) { }

UsageQuery::~UsageQuery() = default;

Status UsageQuery::open()
{
    m_database
        = std::make_unique<Database>(Database::filePath(m_dataDir), QStringLiteral("query"), Database::Mode::ReadOnly);
    return m_database->open();
}

Result<QHash<QString, QDateTime>> UsageQuery::lastUsedByClient()
{
    using R = Result<QHash<QString, QDateTime>>;
    constexpr qint64 kDayMs = 86'400'000;
    if (!m_database)
        return R::failure(QStringLiteral("the usage query is not open"));
    if (Status status = m_database->readNewLabels(m_labels); !status)
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
    if (Status status = m_database->readNewLabels(m_labels); !status)
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
                       " sum(latency_ms_sum), sum(unpriced_requests) FROM %5 WHERE %1 >= ? AND %1 < ?"
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
        row.unpricedRequests = query.value(14).toLongLong();
        rows.append(row);
    }
    if (query.lastError().isValid())
        return R::failure(Database::describe(query.lastError()));
    return rows;
}

Status UsageQuery::addSpan(const Span &span, Grouping grouping, Sums &sums)
{
    if (span.from >= span.to)
        return success();
    const QString client = grouping.byClient ? QStringLiteral("client_id") : QStringLiteral("0");
    const QString provider = grouping.byProvider ? QStringLiteral("provider_id") : QStringLiteral("0");
    const QString model = grouping.byModel ? QStringLiteral("model_id") : QStringLiteral("0");
    QString sql;
    if (span.source == Span::Raw) {
        // Unknown counts are NULL and sum() skips them; coalesce for a span of unknowns only.
        sql = QStringLiteral("SELECT %1, %2, %3, count(*), sum(status >= 400 OR outcome <> 0),"
                             " coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),"
                             " coalesce(sum(cached_input_tokens), 0), coalesce(sum(cache_write_tokens), 0),"
                             " coalesce(sum(reasoning_tokens), 0), coalesce(sum(cost_micro_usd), 0),"
                             " sum(cost_micro_usd IS NULL), sum(%4), sum(latency_ms)"
                             " FROM requests WHERE ts_ms >= ? AND ts_ms < ? GROUP BY 1, 2, 3")
                  .arg(client, provider, model, Schema::unpricedCondition());
    } else {
        const bool daily = span.source == Span::Daily;
        sql = QStringLiteral("SELECT %1, %2, %3, sum(requests), sum(errors), sum(input_tokens), sum(output_tokens),"
                             " sum(cached_input_tokens), sum(cache_write_tokens), sum(reasoning_tokens),"
                             " sum(cost_micro_usd), sum(unknown_cost_requests), sum(unpriced_requests),"
                             " sum(latency_ms_sum) FROM %4 WHERE %5 >= ? AND %5 < ? GROUP BY 1, 2, 3")
                  .arg(client, provider, model, daily ? QStringLiteral("daily") : QStringLiteral("hourly"),
                       daily ? QStringLiteral("day") : QStringLiteral("hour"));
    }
    QSqlQuery query(m_database->db());
    query.setForwardOnly(true);
    query.prepare(sql);
    query.addBindValue(span.from);
    query.addBindValue(span.to);
    if (!query.exec())
        return Status::failure(Database::describe(query.lastError()));
    while (query.next()) {
        UsageAggregate &row
            = sums[{query.value(0).toLongLong(), query.value(1).toLongLong(), query.value(2).toLongLong()}];
        row.requests += query.value(3).toLongLong();
        row.errors += query.value(4).toLongLong();
        row.inputTokens += query.value(5).toLongLong();
        row.outputTokens += query.value(6).toLongLong();
        row.cachedInputTokens += query.value(7).toLongLong();
        row.cacheWriteTokens += query.value(8).toLongLong();
        row.reasoningTokens += query.value(9).toLongLong();
        row.costMicroUsd += query.value(10).toLongLong();
        row.unknownCostRequests += query.value(11).toLongLong();
        row.unpricedRequests += query.value(12).toLongLong();
        row.latencyMsSum += query.value(13).toLongLong();
    }
    if (query.lastError().isValid())
        return Status::failure(Database::describe(query.lastError()));
    return success();
}

Result<QList<UsageAggregate>> UsageQuery::totals(const QDateTime &from, const QDateTime &to, Grouping grouping)
{
    using R = Result<QList<UsageAggregate>>;
    if (!m_database)
        return R::failure(QStringLiteral("the usage query is not open"));
    if (Status status = m_database->readNewLabels(m_labels); !status)
        return R::failure(status.error());
    const qint64 f = from.isValid() ? from.toMSecsSinceEpoch() : kMin;
    const qint64 t = to.isValid() ? to.toMSecsSinceEpoch() : kMax;
    Sums sums;
    if (f < t) {
        // One read transaction: every part sees the same commits.
        QSqlDatabase &db = m_database->db();
        if (!db.transaction())
            return R::failure(Database::describe(db.lastError()));
        const auto fail = [&](const QString &error) {
            db.rollback();
            return R::failure(error);
        };
        QSqlQuery first(db);
        // Hourly rollups are complete from their oldest hour on (retention trims whole hours
        // from the old end); before it, daily ones.
        if (!first.exec(QStringLiteral("SELECT min(hour) FROM hourly")) || !first.next())
            return fail(Database::describe(first.lastError()));
        const qint64 hourlyFrom = first.value(0).isNull() ? kMax : first.value(0).toLongLong() * kHourMs;
        first.finish();
        QList<Span> spans;
        const qint64 a = ceilTo(f, kHourMs);
        const qint64 b = floorTo(t, kHourMs);
        if (a >= b) {
            spans.append({Span::Raw, f, t}); // within an hour or two of raw rows
        } else {
            spans.append({Span::Raw, f, a});
            spans.append({Span::Raw, b, t});
            const qint64 hoursFrom = std::max(a, hourlyFrom);
            if (hoursFrom < b)
                spans.append({Span::Hourly, bucketOf(hoursFrom, kHourMs), bucketOf(b, kHourMs)});
            const qint64 olderTo = std::min(b, hourlyFrom);
            if (a < olderTo) {
                const qint64 d1 = ceilTo(a, kDayMs);
                const qint64 d2 = floorTo(olderTo, kDayMs);
                if (d1 >= d2) {
                    spans.append({Span::Raw, a, olderTo});
                } else {
                    spans.append({Span::Raw, a, d1});
                    spans.append({Span::Daily, bucketOf(d1, kDayMs), bucketOf(d2, kDayMs)});
                    spans.append({Span::Raw, d2, olderTo});
                }
            }
        }
        for (const Span &span : std::as_const(spans)) {
            if (Status status = addSpan(span, grouping, sums); !status)
                return fail(status.error());
        }
        db.commit();
    }
    QList<UsageAggregate> rows;
    for (auto &[ids, row] : sums) {
        row.bucketStart = from.isValid() ? from.toUTC() : QDateTime();
        row.client = m_labels.value(ids[0]);
        row.provider = m_labels.value(ids[1]);
        row.model = m_labels.value(ids[2]);
        rows.append(row);
    }
    std::sort(rows.begin(), rows.end(), [](const UsageAggregate &x, const UsageAggregate &y) {
        return std::tie(x.client, x.provider, x.model) < std::tie(y.client, y.provider, y.model);
    });
    if (rows.isEmpty() && !grouping.byClient && !grouping.byProvider && !grouping.byModel) {
        UsageAggregate none;
        none.bucketStart = from.isValid() ? from.toUTC() : QDateTime();
        rows.append(none);
    }
    return rows;
}

Result<UsageAggregate> UsageQuery::total(const QDateTime &from, const QDateTime &to)
{
    auto rows = totals(from, to, Grouping());
    if (!rows)
        return Result<UsageAggregate>::failure(rows.error());
    return rows->first();
}

} // namespace sy::store
