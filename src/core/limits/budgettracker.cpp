// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "budgettracker.h"

#include "common/calendar.h"
#include "common/clock.h"

namespace sy::limits {

namespace {

const QString kGlobal = QStringLiteral("global");

QString clientKey(const QString &client)
{
    return QStringLiteral("client\n") + client;
}

QString dollars(qint64 microUsd)
{
    return QStringLiteral("$%1").arg(double(microUsd) / 1e6, 0, 'f', 2);
}

// A used-up balance stays so until someone raises it: clients should not retry soon.
constexpr qint64 kBalanceRetryAfterSeconds = 3600;
// The system's zone can change under a running process (a laptop that travels); look again
// this often even when the day has not turned.
constexpr qint64 kZoneRecheckMs = 60'000;

qint64 secondsUntil(qint64 nowMs, qint64 endMs)
{
    return std::max<qint64>(1, (endMs - nowMs + 999) / 1000);
}

qint64 floorToBucket(qint64 ms)
{
    const qint64 unit = BudgetTracker::kBucketMs;
    return (ms >= 0 ? ms / unit : (ms - unit + 1) / unit) * unit;
}

qint64 msOf(const QDateTime &utcStart)
{
    return utcStart.toMSecsSinceEpoch();
}

} // namespace

qint64 BudgetTracker::Spend::since(qint64 fromMs)
{
    if (const auto cached = sinceCache.constFind(fromMs); cached != sinceCache.cend())
        return cached.value();
    qint64 sum = 0;
    for (const QMap<qint64, qint64> *map : {&recorded, &settled}) {
        for (auto it = map->lowerBound(fromMs); it != map->cend(); ++it)
            sum += it.value();
    }
    if (sinceCache.size() >= 32) // a few instants are asked for again and again; bound the rest
        sinceCache.clear();
    sinceCache.insert(fromMs, sum);
    return sum;
}

void BudgetTracker::Spend::add(QMap<qint64, qint64> &into, qint64 atMs, qint64 cost)
{
    into[atMs] += cost;
    for (auto it = sinceCache.begin(); it != sinceCache.end(); ++it) {
        if (it.key() <= atMs)
            it.value() += cost;
    }
}

BudgetTracker::Reservation::~Reservation()
{
    if (!m_done && m_tracker)
        m_tracker->settle(m_keys, m_estimate, 0, QDateTime());
}

void BudgetTracker::Reservation::settle(qint64 costMicroUsd, const QDateTime &at)
{
    if (m_done || !m_tracker)
        return;
    m_done = true;
    m_tracker->settle(m_keys, m_estimate, std::max<qint64>(0, costMicroUsd), at);
}

void BudgetTracker::configure(const QList<Budget> &budgets)
{
    QMutexLocker lock(&m_mutex);
    m_budgets = budgets; // spend so far is kept: a new cap applies to it
}

QList<Budget> BudgetTracker::budgets() const
{
    QMutexLocker lock(&m_mutex);
    return m_budgets;
}

QList<std::pair<const Budget *, QString>> BudgetTracker::applicable(const QString &client) const
{
    QList<std::pair<const Budget *, QString>> result;
    for (const Budget &budget : m_budgets) {
        if (budget.scope == Scope::Global)
            result.append({&budget, kGlobal});
        else if (!client.isEmpty() && budget.name == client)
            result.append({&budget, clientKey(client)});
    }
    return result;
}

const BudgetTracker::Periods &BudgetTracker::periods(qint64 nowMs)
{
    Periods &p = m_periods;
    const quint64 generation = Calendar::generation();
    if (nowMs >= p.dayStart && nowMs < p.dayEnd && nowMs - p.checkedAt < kZoneRecheckMs && p.generation == generation)
        return p;
    const QTimeZone zone = Calendar::zone();
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC);
    if (zone != p.zone || p.generation != generation)
        p.dayStarts.clear();
    p.zone = zone;
    p.generation = generation;
    p.checkedAt = nowMs;
    p.dayStart = msOf(Calendar::startOfDay(now, zone));
    p.dayEnd = msOf(Calendar::startOfNextDay(now, zone));
    const QDate date = Calendar::dateOf(now, zone);
    const QDate first(date.year(), date.month(), 1);
    p.monthStart = msOf(first.startOfDay(zone));
    p.monthEnd = msOf(first.addMonths(1).startOfDay(zone));
    return p;
}

qint64 BudgetTracker::startOf(const QDate &date)
{
    const qint64 julian = date.toJulianDay();
    if (const auto known = m_periods.dayStarts.constFind(julian); known != m_periods.dayStarts.cend())
        return known.value();
    const qint64 start = msOf(date.startOfDay(m_periods.zone)); // periods() has set the zone
    m_periods.dayStarts.insert(julian, start);
    return start;
}

BudgetTracker::Decision BudgetTracker::admit(const QString &client, qint64 estimateMicroUsd, const QDateTime &now)
{
    QMutexLocker lock(&m_mutex);
    Decision decision;
    const auto budgets = applicable(client);
    if (budgets.isEmpty()) {
        decision.reservation = std::make_shared<Reservation>(); // nothing to track
        return decision;
    }
    const qint64 nowMs = now.toMSecsSinceEpoch();
    const Periods &p = periods(nowMs); // before startOf(): it sets the zone
    for (const auto &[budget, key] : budgets) {
        Spend &spend = m_spend[key];
        const QString who = budget->scope == Scope::Global ? QStringLiteral("the global")
                                                           : QStringLiteral("client '%1'").arg(budget->name);
        if (budget->prepaidSince.isValid()
            && spend.since(startOf(budget->prepaidSince)) + spend.inFlight >= budget->prepaidMicroUsd) {
            decision.refusedBy
                = QStringLiteral("%1 prepaid balance of %2 (since %3), which is used up")
                      .arg(who, dollars(budget->prepaidMicroUsd), budget->prepaidSince.toString(Qt::ISODate));
            decision.retryAfterSeconds = kBalanceRetryAfterSeconds;
            return decision;
        }
        if (budget->dailyMicroUsd > 0 && spend.since(p.dayStart) + spend.inFlight >= budget->dailyMicroUsd) {
            decision.refusedBy = QStringLiteral("%1 daily budget of %2").arg(who, dollars(budget->dailyMicroUsd));
            decision.retryAfterSeconds = secondsUntil(nowMs, p.dayEnd); // 23 or 25 hours on a DST day
            return decision;
        }
        if (budget->monthlyMicroUsd > 0 && spend.since(p.monthStart) + spend.inFlight >= budget->monthlyMicroUsd) {
            decision.refusedBy = QStringLiteral("%1 monthly budget of %2").arg(who, dollars(budget->monthlyMicroUsd));
            decision.retryAfterSeconds = secondsUntil(nowMs, p.monthEnd);
            return decision;
        }
    }
    auto reservation = std::make_shared<Reservation>();
    reservation->m_tracker = this;
    reservation->m_estimate = std::max<qint64>(0, estimateMicroUsd);
    for (const auto &[budget, key] : budgets) {
        m_spend[key].inFlight += reservation->m_estimate;
        reservation->m_keys.append(key);
    }
    decision.reservation = std::move(reservation);
    return decision;
}

void BudgetTracker::settle(const QList<QString> &keys, qint64 estimate, qint64 cost, const QDateTime &at)
{
    QMutexLocker lock(&m_mutex);
    for (const QString &key : keys) {
        Spend &spend = m_spend[key];
        spend.inFlight -= estimate;
        if (cost > 0 && at.isValid())
            spend.add(spend.settled, floorToBucket(at.toMSecsSinceEpoch()), cost);
    }
}

void BudgetTracker::setRecorded(const QList<RecordedSpend> &spans, const QDateTime &before)
{
    QMutexLocker lock(&m_mutex);
    if (!m_recordedBefore.isValid())
        m_recordedBefore = before.toUTC();
    for (Spend &spend : m_spend) {
        spend.recorded.clear();
        spend.sinceCache.clear();
    }
    for (const RecordedSpend &span : spans) {
        if (span.costMicroUsd <= 0 || !span.start.isValid())
            continue;
        const qint64 at = span.start.toMSecsSinceEpoch();
        for (const QString &key : {kGlobal, clientKey(span.client)}) {
            Spend &spend = m_spend[key];
            spend.add(spend.recorded, at, span.costMicroUsd);
        }
    }
}

QDateTime BudgetTracker::recordedBefore() const
{
    QMutexLocker lock(&m_mutex);
    return m_recordedBefore;
}

void BudgetTracker::addRecorded(const QString &client, qint64 costMicroUsd, const QDateTime &at)
{
    if (costMicroUsd <= 0 || !at.isValid())
        return;
    QMutexLocker lock(&m_mutex);
    for (const QString &key : {kGlobal, clientKey(client)}) {
        Spend &spend = m_spend[key];
        spend.add(spend.recorded, at.toMSecsSinceEpoch(), costMicroUsd);
    }
}

qint64 BudgetTracker::spent(const QString &client, bool monthly, const QDateTime &now)
{
    QMutexLocker lock(&m_mutex);
    const Periods &p = periods(now.toMSecsSinceEpoch());
    return m_spend[client.isEmpty() ? kGlobal : clientKey(client)].since(monthly ? p.monthStart : p.dayStart);
}

qint64 BudgetTracker::spentSince(const QString &client, const QDate &first)
{
    QMutexLocker lock(&m_mutex);
    periods(Clock::instance().nowUtc().toMSecsSinceEpoch()); // the zone in force
    return m_spend[client.isEmpty() ? kGlobal : clientKey(client)].since(startOf(first));
}

qint64 BudgetTracker::spentSince(const QString &client, const QDateTime &from)
{
    QMutexLocker lock(&m_mutex);
    return m_spend[client.isEmpty() ? kGlobal : clientKey(client)].since(from.toMSecsSinceEpoch());
}

} // namespace sy::limits
