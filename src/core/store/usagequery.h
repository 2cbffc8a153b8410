// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QDateTime>
#include <QHash>
#include <QList>

#include "common/result.h"
#include "usageaggregate.h"

namespace sy::store {

class Database;

// The dashboard's reads: aggregates by day or hour per client/provider/model, from the
// rollup tables (never the raw rows), on a read-only connection of its own. Use one
// instance per thread; the GUI runs it on a worker, never on the GUI thread.
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

    explicit UsageQuery(QString dataDir);
    ~UsageQuery();

    Status open();
    // Rows ordered by bucket. Hourly rows exist only for the hourly retention window.
    Result<QList<UsageAggregate>> aggregate(const Request &request);
    // When each client last sent a request: its last day from the daily rollup, then the
    // latest row of that day (a day's worth of rows by the time index, never a full scan).
    // Clients whose rows were pruned report the start of their last day.
    Result<QHash<QString, QDateTime>> lastUsedByClient();

private:
    Status refreshLabels();

    QString m_dataDir;
    std::unique_ptr<Database> m_database;
    QHash<qint64, QString> m_labels;
};

} // namespace sy::store
