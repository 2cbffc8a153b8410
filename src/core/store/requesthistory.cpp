// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "requesthistory.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#include "database.h"

namespace sy::store {

namespace {

// NULL (unknown) as the gateway records it: -1.
qint64 orUnknown(const QVariant &value)
{
    return value.isNull() ? -1 : value.toLongLong();
}

Outcome outcomeOf(int stored)
{
    return stored >= int(Outcome::Completed) && stored <= int(Outcome::Rejected) ? Outcome(stored) : Outcome::Completed;
}

} // namespace

RequestHistory::RequestHistory(QString dataDir) : m_dataDir(std::move(dataDir)) { }

RequestHistory::~RequestHistory() = default;

Status RequestHistory::open()
{
    const QString path = Database::filePath(m_dataDir);
    // Read-only never creates the file; say plainly that there is none yet.
    if (!QFileInfo::exists(path))
        return Status::failure(QStringLiteral("no usage database in %1").arg(m_dataDir));
    m_database = std::make_unique<Database>(path, QStringLiteral("history"), Database::Mode::ReadOnly);
    return m_database->open();
}

Result<QList<RequestHistory::Row>> RequestHistory::olderThan(const Position &before, int limit)
{
    using R = Result<QList<Row>>;
    if (!m_database)
        return R::failure(QStringLiteral("the request history is not open"));
    if (limit <= 0)
        return QList<Row>();
    if (Status status = m_database->readNewLabels(m_labels); !status)
        return R::failure(status.error());
    QSqlQuery query(m_database->db());
    query.setForwardOnly(true);
    // A row value comparison walks the time index (ts_ms, then the rowid it carries)
    // backwards from the point: a page costs its own rows, however deep it is.
    query.prepare(QStringLiteral("SELECT id, ts_ms, client_id, provider_id, model_id, route_id, endpoint_id, status,"
                                 " streamed, outcome, latency_ms, ttfb_ms, input_tokens, output_tokens,"
                                 " cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_micro_usd,"
                                 " price_book_id, attempts FROM requests"
                                 " WHERE (ts_ms, id) < (?, ?) ORDER BY ts_ms DESC, id DESC LIMIT ?"));
    query.addBindValue(before.startedAtMs);
    query.addBindValue(before.id);
    query.addBindValue(limit);
    if (!query.exec())
        return R::failure(Database::describe(query.lastError()));
    QList<Row> rows;
    rows.reserve(limit);
    while (query.next()) {
        Row row;
        row.id = query.value(0).toLongLong();
        UsageRecord &r = row.record;
        r.startedAt = QDateTime::fromMSecsSinceEpoch(query.value(1).toLongLong(), Qt::UTC);
        // Shared copies of the labels: a page of rows holds each name once.
        r.client = m_labels.value(query.value(2).toLongLong());
        r.provider = m_labels.value(query.value(3).toLongLong());
        r.model = m_labels.value(query.value(4).toLongLong());
        r.route = m_labels.value(query.value(5).toLongLong());
        r.endpoint = m_labels.value(query.value(6).toLongLong());
        r.status = query.value(7).toInt();
        r.streamed = query.value(8).toInt() != 0;
        r.outcome = outcomeOf(query.value(9).toInt());
        r.latencyMs = query.value(10).toLongLong();
        r.ttfbMs = query.value(11).toLongLong();
        r.inputTokens = orUnknown(query.value(12));
        r.outputTokens = orUnknown(query.value(13));
        r.cachedInputTokens = orUnknown(query.value(14));
        r.cacheWriteTokens = orUnknown(query.value(15));
        r.reasoningTokens = orUnknown(query.value(16));
        r.costMicroUsd = orUnknown(query.value(17));
        r.priceBookVersion = m_labels.value(query.value(18).toLongLong());
        r.attempts = query.value(19).toInt();
        rows.append(row);
    }
    if (query.lastError().isValid())
        return R::failure(Database::describe(query.lastError()));
    return rows;
}

} // namespace sy::store
