// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "calendartotals.h"

#include <QFileInfo>

#include "common/calendar.h"
#include "common/usagerecord.h"
#include "database.h"
#include "usagequery.h"

namespace sy::store {

namespace {

// Buckets older than this are dropped: nothing asks further back than this month.
constexpr qint64 kKeepMs = qint64(62) * 86'400'000;

} // namespace

CalendarTotals::CalendarTotals(QString dataDir) : m_dataDir(std::move(dataDir)) { }

Status CalendarTotals::load(const QDateTime &now)
{
    QDateTime before;
    {
        QMutexLocker lock(&m_mutex);
        if (!m_before.isValid())
            m_before = now.toUTC();
        before = m_before;
    }
    QMap<qint64, UsageAggregate> history;
    if (QFileInfo::exists(Database::filePath(m_dataDir))) {
        UsageQuery query(m_dataDir);
        if (Status opened = query.open(); !opened)
            return opened;
        const QTimeZone zone = Calendar::zone();
        QList<QDateTime> edges = Calendar::dayStarts(Calendar::startOfMonth(before, zone), before, zone);
        edges.append(before);
        for (qsizetype i = 0; i + 1 < edges.size(); ++i) {
            auto piece = query.total(edges.at(i), edges.at(i + 1));
            if (!piece)
                return Status::failure(piece.error());
            if (piece->requests > 0)
                history.insert(edges.at(i).toMSecsSinceEpoch(), piece.value());
        }
    }
    QMutexLocker lock(&m_mutex);
    m_history = std::move(history);
    return success();
}

QDateTime CalendarTotals::loadedBefore() const
{
    QMutexLocker lock(&m_mutex);
    return m_before;
}

void CalendarTotals::record(const UsageRecord &record)
{
    if (!record.startedAt.isValid())
        return;
    const qint64 ms = record.startedAt.toMSecsSinceEpoch();
    const qint64 bucket = (ms >= 0 ? ms / kBucketMs : (ms - kBucketMs + 1) / kBucketMs) * kBucketMs;
    QMutexLocker lock(&m_mutex);
    const bool fresh = !m_recorded.contains(bucket);
    m_recorded[bucket].add(record);
    if (fresh) {
        while (!m_recorded.isEmpty() && m_recorded.firstKey() < bucket - kKeepMs)
            m_recorded.erase(m_recorded.begin());
    }
}

UsageAggregate CalendarTotals::since(const QDateTime &from) const
{
    UsageAggregate sum;
    sum.bucketStart = from.toUTC();
    const qint64 ms = from.toMSecsSinceEpoch();
    QMutexLocker lock(&m_mutex);
    for (const QMap<qint64, UsageAggregate> *map : {&m_history, &m_recorded}) {
        for (auto it = map->lowerBound(ms); it != map->cend(); ++it)
            sum.merge(it.value());
    }
    return sum;
}

UsageAggregate CalendarTotals::today(const QDateTime &now) const
{
    return since(Calendar::startOfDay(now));
}

UsageAggregate CalendarTotals::thisMonth(const QDateTime &now) const
{
    return since(Calendar::startOfMonth(now, Calendar::zone()));
}

} // namespace sy::store
