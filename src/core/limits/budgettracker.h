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

#include "limitsconfig.h"

namespace sy::limits {

// Spend caps per client key and overall, per UTC day and UTC month, and prepaid client
// balances. A budget admits a request while recorded spend plus the estimates of requests
// in flight is below the cap; the request that crosses it completes; later ones are
// refused until the period turns (a used-up balance, until it is raised). Spend is kept
// per UTC day, so a balance may start on any past day. Shared by all gateway threads.
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
        QString refusedBy; // e.g. "client 'agent-1' daily budget of .00"
        qint64 retryAfterSeconds = 0; // until the period turns
        bool admitted() const { return reservation != nullptr; }
    };

    void configure(const QList<Budget> &budgets);
    QList<Budget> budgets() const;
    Decision admit(const QString &client, qint64 estimateMicroUsd, const QDateTime &now);
    // Spend recorded before this process started (read from the usage store).
    void addRecorded(const QString &client, qint64 costMicroUsd, const QDateTime &at);
    qint64 spent(const QString &client, bool monthly, const QDateTime &now); // recorded only; for tests and display
    qint64 spentSince(const QString &client, const QDate &first); // recorded only

private:
    struct Spend
    {
        QMap<qint64, qint64> byDay; // UTC Julian day -> micro-dollars
        qint64 inFlight = 0;
        qint64 since(const QDate &first) const; // from that day on
    };

    void settle(const QList<QString> &keys, qint64 estimate, qint64 cost, const QDateTime &at);
    QList<std::pair<const Budget *, QString>> applicable(const QString &client) const;

    mutable QMutex m_mutex;
    QList<Budget> m_budgets;
    QHash<QString, Spend> m_spend; // "global" or "client\nNAME"
};

} // namespace sy::limits
