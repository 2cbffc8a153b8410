// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QString>
#include <QTimeZone>

#include "limitsconfig.h"

namespace sy::limits {

// Spend caps per client key and overall, per day and month of the calendar (sy::Calendar:
// the user's time zone or the configured one), and prepaid client balances. A budget admits
// a request while recorded spend plus the estimates of requests in flight is below the cap;
// the request that crosses it completes; later ones are refused until the period turns (a
// used-up balance, until it is raised). Shared by all gateway threads.
//
// Spend is kept by instant, never by local day, so a change of zone (a reload) re-sums the
// same spend into the new zone's days: what this process settles goes into quarter-hour UTC
// buckets (every zone's offset in use is a multiple of 15 minutes: Kolkata +5:30, Nepal
// +5:45), what was recorded before it started into spans that BudgetHistory cuts at every
// local midnight the budgets can ask about.
class BudgetTracker
{
public:
    // Held while a request runs; settling it replaces the estimate with the real cost.
    class Reservation
    {
    public:
        ~Reservation();
        // costMicroUsd < 0 (no price for the model): counted as 0, as the usage row shows it unknown.
        void settle(qint64 costMicroUsd, const QDateTime &at);

    private:
        friend class BudgetTracker;
        BudgetTracker *m_tracker = nullptr;
        QList<QString> m_keys;
        qint64 m_estimate = 0;
        bool m_done = false;
    };

    struct Decision
    {
        std::shared_ptr<Reservation> reservation; // set when admitted
        QString refusedBy; // e.g. "client 'agent-1' daily budget of $5.00"
        qint64 retryAfterSeconds = 0; // until the period turns
        bool admitted() const { return reservation != nullptr; }
    };

    // Spend from before this process served: everything from `start` up to the next span's
    // start. Sums from an instant count a span whole when it starts at or after it.
    struct RecordedSpend
    {
        QString client;
        QDateTime start;
        qint64 costMicroUsd = 0;
    };

    static constexpr qint64 kBucketMs = 15 * 60 * 1000; // what this process settles, by instant

    void configure(const QList<Budget> &budgets);
    QList<Budget> budgets() const;
    Decision admit(const QString &client, qint64 estimateMicroUsd, const QDateTime &now);
    // Replaces the spend recorded before `before` (read from the usage store) and remembers
    // `before` the first time: later loads (a new zone) must read the store only up to it,
    // or this process's own requests would count twice.
    void setRecorded(const QList<RecordedSpend> &spans, const QDateTime &before);
    QDateTime recordedBefore() const;
    // Adds one recorded span (tests, and callers that seed by hand).
    void addRecorded(const QString &client, qint64 costMicroUsd, const QDateTime &at);
    // Recorded and settled spend (no estimates); for tests and display. Empty client: global.
    qint64 spent(const QString &client, bool monthly, const QDateTime &now); // today or this month
    qint64 spentSince(const QString &client, const QDate &first); // from the start of that calendar day
    qint64 spentSince(const QString &client, const QDateTime &from);

private:
    struct Spend
    {
        QMap<qint64, qint64> recorded; // span start, ms since the epoch -> micro-dollars
        QMap<qint64, qint64> settled; // quarter-hour start (ms) -> micro-dollars
        qint64 inFlight = 0;
        // Sums since an instant, kept up to date as spend arrives: admit() asks for the same
        // few instants (today, this month, balances) on every request.
        QHash<qint64, qint64> sinceCache;
        qint64 since(qint64 fromMs);
        void add(QMap<qint64, qint64> &into, qint64 atMs, qint64 cost);
    };
    // Where today and this month begin and end in the calendar's zone, for the day `now`
    // falls in; recomputed when the day turns or the zone changes.
    struct Periods
    {
        QTimeZone zone;
        quint64 generation = ~quint64(0); // Calendar::generation() when computed
        qint64 checkedAt = 0;
        qint64 dayStart = 0, dayEnd = -1, monthStart = 0, monthEnd = 0;
        QHash<qint64, qint64> dayStarts; // Julian day -> ms, for balances
    };

    void settle(const QList<QString> &keys, qint64 estimate, qint64 cost, const QDateTime &at);
    QList<std::pair<const Budget *, QString>> applicable(const QString &client) const;
    const Periods &periods(qint64 nowMs);
    qint64 startOf(const QDate &date);

    mutable QMutex m_mutex;
    QList<Budget> m_budgets;
    QHash<QString, Spend> m_spend; // "global" or "client\nNAME"
    QDateTime m_recordedBefore;
    Periods m_periods;
};

} // namespace sy::limits
