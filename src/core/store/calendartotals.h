// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QMap>
#include <QMutex>
#include <QString>

#include "common/result.h"
#include "common/usagesink.h"
#include "usageaggregate.h"

namespace sy::store {

// Today's and this month's totals in the calendar's zone (sy::Calendar), answered from
// memory, so the tray, the dashboard and `switchyard status` read one number without SQL on
// their thread. A usage sink beside the store: it counts every finished request by the
// instant it started, in quarter-hour buckets (exact for every zone in use), on top of the
// store's history before the start, read with UsageQuery::totals in pieces cut at each local
// midnight of the month. The costs page's UsageQuery::totals over the same span gives the
// same numbers once the rows are committed: both count a request by its start and by the
// same rules (UsageAggregate::add).
class CalendarTotals final : public UsageSink
{
public:
    static constexpr qint64 kBucketMs = 15 * 60 * 1000;

    explicit CalendarTotals(QString dataDir);

    // Reads this month's history up to `now`. Call it before the gateway serves (or a
    // request that is not yet on disk could count twice or not at all), and again after
    // Calendar::setZone() changed the zone: later calls read the store only up to the first
    // call's instant, since what came after reached record(). A few dozen small indexed
    // queries (see bench/store); thread-safe, so a worker may run it.
    Status load(const QDateTime &now);
    QDateTime loadedBefore() const;

    void record(const UsageRecord &record) override; // any thread; a mutex and a map insert

    // What the requests that started from `from` on add up to: exact when `from` is one of
    // this month's local midnights (today, the month) or any quarter hour after the load.
    UsageAggregate since(const QDateTime &from) const;
    UsageAggregate today(const QDateTime &now) const; // since the calendar's start of today
    UsageAggregate thisMonth(const QDateTime &now) const;

private:
    const QString m_dataDir;
    mutable QMutex m_mutex;
    QDateTime m_before; // history up to here came from the store, the rest from record()
    QMap<qint64, UsageAggregate> m_history; // piece start (ms) -> its sums
    QMap<qint64, UsageAggregate> m_recorded; // quarter hour of the start (ms) -> sums
};

} // namespace sy::store
