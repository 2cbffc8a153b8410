// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "budgettracker.h"

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

qint64 secondsUntil(const QDateTime &now, const QDateTime &end)
{
    return std::max<qint64>(1, now.secsTo(end));
}

} // namespace

qint64 BudgetTracker::Spend::since(const QDate &first) const
{
    qint64 sum = 0;
    for (auto it = byDay.lowerBound(first.toJulianDay()); it != byDay.cend(); ++it)
        sum += it.value();
    return sum;
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

BudgetTracker::Decision BudgetTracker::admit(const QString &client, qint64 estimateMicroUsd, const QDateTime &now)
{
    QMutexLocker lock(&m_mutex);
    Decision decision;
    const auto budgets = applicable(client);
    if (budgets.isEmpty()) {
        decision.reservation = std::make_shared<Reservation>(); // nothing to track
        return decision;
    }
    const QDateTime utc = now.toUTC();
    const QDate date = utc.date();
    const QDate monthStart(date.year(), date.month(), 1);
    for (const auto &[budget, key] : budgets) {
        const Spend &spend = m_spend[key];
        const QString who = budget->scope == Scope::Global ? QStringLiteral("the global")
                                                           : QStringLiteral("client '%1'").arg(budget->name);
        if (budget->prepaidSince.isValid()
            && spend.since(budget->prepaidSince) + spend.inFlight >= budget->prepaidMicroUsd) {
            decision.refusedBy
                = QStringLiteral("%1 prepaid balance of %2 (since %3), which is used up")
                      .arg(who, dollars(budget->prepaidMicroUsd), budget->prepaidSince.toString(Qt::ISODate));
            decision.retryAfterSeconds = kBalanceRetryAfterSeconds;
            return decision;
        }
        if (budget->dailyMicroUsd > 0 && spend.since(date) + spend.inFlight >= budget->dailyMicroUsd) {
            decision.refusedBy = QStringLiteral("%1 daily budget of %2").arg(who, dollars(budget->dailyMicroUsd));
            decision.retryAfterSeconds = secondsUntil(utc, QDateTime(date.addDays(1), QTime(0, 0), Qt::UTC));
            return decision;
        }
        if (budget->monthlyMicroUsd > 0 && spend.since(monthStart) + spend.inFlight >= budget->monthlyMicroUsd) {
            decision.refusedBy = QStringLiteral("%1 monthly budget of %2").arg(who, dollars(budget->monthlyMicroUsd));
            const QDate next = monthStart.addMonths(1);
            decision.retryAfterSeconds = secondsUntil(utc, QDateTime(next, QTime(0, 0), Qt::UTC));
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
            spend.byDay[at.toUTC().date().toJulianDay()] += cost;
    }
}

void BudgetTracker::addRecorded(const QString &client, qint64 costMicroUsd, const QDateTime &at)
{
    if (costMicroUsd <= 0)
        return;
    QMutexLocker lock(&m_mutex);
    const QDateTime utc = at.toUTC();
    for (const QString &key : {kGlobal, clientKey(client)})
        m_spend[key].byDay[utc.date().toJulianDay()] += costMicroUsd;
}

qint64 BudgetTracker::spent(const QString &client, bool monthly, const QDateTime &now)
{
    QMutexLocker lock(&m_mutex);
    const Spend &spend = m_spend[client.isEmpty() ? kGlobal : clientKey(client)];
    const QDate date = now.toUTC().date();
    return spend.since(monthly ? QDate(date.year(), date.month(), 1) : date);
}

qint64 BudgetTracker::spentSince(const QString &client, const QDate &first)
{
    QMutexLocker lock(&m_mutex);
    return m_spend[client.isEmpty() ? kGlobal : clientKey(client)].since(first);
}

} // namespace sy::limits
