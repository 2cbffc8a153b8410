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
// takes a short lock on a fixed ring of 3,600 seconds and never allocates, so a gateway
// thread never waits on a reader. A request counts in the second it ended (Clock time).
// Readers get copies. Requests in flight are the gateway's own count
// (GatewayServer::requestsInFlight()).
class LiveFigures final : public UsageSink
{
public:
    static constexpr int kSeconds = 3600;

    LiveFigures();

    void record(const UsageRecord &record) override;
    // The last `count` whole seconds before now (at most kSeconds), oldest first; seconds
    // without traffic are zero.
    QList<Figures> lastSeconds(int count) const;
    // The last `count` minutes (whole minutes of the clock, the current one included),
    // oldest first.
    QList<Figures> lastMinutes(int count) const;
    // The sum of the last `seconds` seconds, the current one included.
    Figures sum(int seconds) const;

private:
    struct Slot
    {
        qint64 second = -1; // epoch second this slot holds; another value means empty
        Figures figures;
    };

    mutable QMutex m_mutex;
    std::vector<Slot> m_ring; // kSeconds slots, indexed by epoch second modulo kSeconds
};

} // namespace sy::live
