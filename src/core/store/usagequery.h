// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <map>
#include <memory>

#include <QDateTime>
#include <QHash>
#include <QList>

#include "common/result.h"
#include "usageaggregate.h"

namespace sy::store {

class Database;

// The dashboard's reads, on a read-only connection of its own: aggregates by UTC day or hour
// per client/provider/model from the rollup tables, and exact totals for any span of time
// ("today" and "this month" in the user's calendar). Use one instance per thread; the GUI
// runs it on a worker, never on the GUI thread.
class UsageQuery
{
public:
    enum class Granularity { Hour, Day };
    struct Request
    {
        Granularity granularity = Granularity::Day;
        QDateTime from; // inclusive; invalid: from the beginning
        QDateTime to; // exclusive; invalid: until now
        bool byClient = true;
        bool byProvider = true;
        bool byModel = true;
    };

    struct Grouping
    {
        bool byClient = false;
        bool byProvider = false;
        bool byModel = false;
    };

    explicit UsageQuery(QString dataDir);
    ~UsageQuery();

    Status open();
    // Rows ordered by bucket. Hourly rows exist only for the hourly retention window.
    Result<QList<UsageAggregate>> aggregate(const Request &request);
    // What the requests that started in [from, to) add up to, to the millisecond: whole UTC
    // hours from the hourly rollup, whole UTC days from the daily one where hourly rows are
    // no longer kept (35 days), and the rest (a half-hour zone's midnight falls mid-hour)
    // from the raw rows by the time index. Exact wherever raw rows are kept (retention_months);
    // before that only whole UTC days can be counted, and a part-day edge there counts
    // nothing. Invalid from: since the beginning; invalid to: until the end. One row per
    // group (bucketStart = from), ordered by client, provider, model; without grouping
    // always exactly one row, zeros when nothing matched.
    Result<QList<UsageAggregate>> totals(const QDateTime &from, const QDateTime &to, Grouping grouping);
    Result<UsageAggregate> total(const QDateTime &from, const QDateTime &to);
    // When each client last sent a request: its last day from the daily rollup, then the
    // latest row of that day (a day's worth of rows by the time index, never a full scan).
    // Clients whose rows were pruned report the start of their last day.
    Result<QHash<QString, QDateTime>> lastUsedByClient();

private:
    struct Span;
    using Sums = std::map<std::array<qint64, 3>, UsageAggregate>; // by client, provider, model id
    Status addSpan(const Span &span, Grouping grouping, Sums &sums);

    QString m_dataDir;
    std::unique_ptr<Database> m_database;
    QHash<qint64, QString> m_labels;
};

} // namespace sy::store
