// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <limits>
#include <memory>

#include <QHash>
#include <QList>
#include <QString>

#include "common/result.h"
#include "common/usagerecord.h"

namespace sy::store {

class Database;

// The requests page's way back past what is in memory: raw request rows older than a
// point, newest first, a page at a time by the time index (never a scan), on a read-only
// connection of its own, so it also reads a database that a `serve` in another process
// writes. Use one instance per thread; the GUI runs it on a worker.
class RequestHistory
{
public:
    // A point in the rows' order (start time, then row id): a page holds the rows before it.
    struct Position
    {
        qint64 startedAtMs = std::numeric_limits<qint64>::max();
        qint64 id = std::numeric_limits<qint64>::max(); // the largest: every row of that millisecond

        static Position before(qint64 startedAtMs) { return {startedAtMs, 0}; } // row ids start at 1
        static Position atOrBefore(qint64 startedAtMs) { return {startedAtMs, std::numeric_limits<qint64>::max()}; }
        bool operator==(const Position &other) const = default;
    };

    struct Row
    {
        qint64 id = 0;
        UsageRecord record; // unknown token counts and cost: -1, as the gateway records them
        Position position() const { return {record.startedAt.toMSecsSinceEpoch(), id}; }
    };

    explicit RequestHistory(QString dataDir);
    ~RequestHistory();

    Status open(); // fails when there is no database yet
    // Up to `limit` rows before `before`, newest first; fewer means the history ends there.
    Result<QList<Row>> olderThan(const Position &before, int limit);

private:
    QString m_dataDir;
    std::unique_ptr<Database> m_database;
    QHash<qint64, QString> m_labels; // every kind: ids are unique across kinds
};

} // namespace sy::store
