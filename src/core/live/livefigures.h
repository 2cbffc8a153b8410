// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

#include <QList>
#include <QMutex>

#include "common/usagesink.h"
#include "figures.h"

namespace sy::live {

// The last hour of traffic, per second, in memory: what the window's dashboard, the tray
// and `switchyard status` show live. Fed by the usage sink on gateway threads: record()
// takes a short lock on fixed rings (3,600 seconds and 60 minutes) and never allocates,
// so a gateway thread never waits on a reader. A request counts in the second it ended
// (Clock time). Readers get copies. Requests in flight are the gateway's own count
// (Host::requestsInFlight()).
class LiveFigures final : public UsageSink
{
public:
    static constexpr int kSeconds = 3600;
    static constexpr int kMinutes = 60;

    // One second with traffic, as the control channel carries it.
    struct Second
    {
        qint64 second = 0; // since the epoch
        Figures figures;
    };

    LiveFigures();

    void record(const UsageRecord &record) override;
    // Adds figures to a given second: a window attached to another process mirrors that
    // gateway's seconds from the control channel. Seconds older than the hour are dropped.
    void merge(qint64 epochSecond, const Figures &figures);

    // The last `count` whole seconds before now (at most kSeconds), oldest first; seconds
    // without traffic are zero.
    QList<Figures> lastSeconds(int count) const;
    // The last `count` minutes (whole minutes of the clock, the current one included; at
    // most kMinutes), oldest first.
    QList<Figures> lastMinutes(int count) const;
    // The sum of the last `seconds` seconds (at most kSeconds), the current one included.
    Figures sum(int seconds) const;
    // The seconds with traffic from `first` to `last` (epoch seconds, inclusive, clamped
    // to the hour), oldest first.
    QList<Second> activeSeconds(qint64 first, qint64 last) const;
    // Spend per hour at the pace of the last 15 minutes, in micro-dollars (priced
    // requests only).
    qint64 burnRateMicroUsdPerHour() const;

    static qint64 nowSecond(); // Clock time, in seconds since the epoch

private:
    struct Slot
    {
        qint64 key = -1; // epoch second (or minute) this slot holds; another value means empty
        Figures figures;
    };

    Figures *secondSlot(qint64 second);
    Figures *minuteSlot(qint64 minute);

    mutable QMutex m_mutex;
    std::vector<Slot> m_seconds; // kSeconds slots, indexed by epoch second modulo kSeconds
    std::vector<Slot> m_minutes; // kMinutes slots, indexed by epoch minute modulo kMinutes
};

} // namespace sy::live
