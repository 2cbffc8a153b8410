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

qint64 secondsUntil(const QDateTime &now, const QDateTime &end)
{
    return std::max<qint64>(1, now.secsTo(end));
}

} // namespace

namespace {
qint64 dayOf(const QDateTime &at)
{
    return at.toUTC().date().toJulianDay();
}
qint64 monthOf(const QDateTime &at)
{
    const QDate date = at.toUTC().date();
    return qint64(date.year()) * 12 + date.month();
}
} // namespace

void BudgetTracker::Spend::roll(const QDateTime &now)
{
    // Periods only move forward: a record from an earlier period changes nothing here.
    if (dayOf(now) > day) {
        day = dayOf(now);
        daily = 0;
    }
    if (monthOf(now) > month) {
        month = monthOf(now);
        monthly = 0;
    }
}

void BudgetTracker::Spend::add(qint64 cost, const QDateTime &at)
{
    roll(at);
    if (dayOf(at) == day)
        daily += cost;
    if (monthOf(at) == month)
        monthly += cost;
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
    for (const auto &[budget, key] : budgets) {
        Spend &spend = m_spend[key];
        spend.roll(utc);
        const QString who = budget->scope == Scope::Global ? QStringLiteral("the global")
                                                           : QStringLiteral("client '%1'").arg(budget->name);
        if (budget->dailyMicroUsd > 0 && spend.daily + spend.inFlight >= budget->dailyMicroUsd) {
            decision.refusedBy = QStringLiteral("%1 daily budget of %2").arg(who, dollars(budget->dailyMicroUsd));
            decision.retryAfterSeconds = secondsUntil(utc, QDateTime(date.addDays(1), QTime(0, 0), Qt::UTC));
            return decision;
        }
        if (budget->monthlyMicroUsd > 0 && spend.monthly + spend.inFlight >= budget->monthlyMicroUsd) {
            decision.refusedBy = QStringLiteral("%1 monthly budget of %2").arg(who, dollars(budget->monthlyMicroUsd));
            const QDate next = QDate(date.year(), date.month(), 1).addMonths(1);
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
            spend.add(cost, at);
    }
}

void BudgetTracker::addRecorded(const QString &client, qint64 costMicroUsd, const QDateTime &at)
{
    if (costMicroUsd <= 0)
        return;
    QMutexLocker lock(&m_mutex);
    const QDateTime utc = at.toUTC();
    for (const QString &key : {kGlobal, clientKey(client)})
        m_spend[key].add(costMicroUsd, utc);
}

qint64 BudgetTracker::spent(const QString &client, bool monthly, const QDateTime &now)
{
    QMutexLocker lock(&m_mutex);
    Spend &spend = m_spend[client.isEmpty() ? kGlobal : clientKey(client)];
    spend.roll(now.toUTC());
    return monthly ? spend.monthly : spend.daily;
}

} // namespace sy::limits
