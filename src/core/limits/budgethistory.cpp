// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "budgethistory.h"

#include <algorithm>

#include <QFileInfo>

#include "budgettracker.h"
#include "common/calendar.h"
#include "store/database.h"
#include "store/usagequery.h"

namespace sy::limits {

QList<QDateTime> BudgetHistory::cuts(const QDateTime &before, const QTimeZone &zone, const QList<QDate> &balanceDays)
{
    QList<qint64> ms;
    for (const QDateTime &day : Calendar::dayStarts(Calendar::startOfMonth(before, zone), before, zone))
        ms.append(day.toMSecsSinceEpoch());
    for (const QDate &date : balanceDays) {
        const QDateTime start = date.startOfDay(zone);
        if (start.isValid() && start < before)
            ms.append(start.toMSecsSinceEpoch());
    }
    std::sort(ms.begin(), ms.end());
    ms.erase(std::unique(ms.begin(), ms.end()), ms.end());
    QList<QDateTime> result;
    for (qint64 at : std::as_const(ms)) {
        if (at < before.toMSecsSinceEpoch())
            result.append(QDateTime::fromMSecsSinceEpoch(at, Qt::UTC));
    }
    return result;
}

Status BudgetHistory::load(BudgetTracker &tracker, const QString &dataDir, const QDateTime &now)
{
    const QDateTime before = tracker.recordedBefore().isValid() ? tracker.recordedBefore() : now.toUTC();
    if (!QFileInfo::exists(store::Database::filePath(dataDir))) {
        tracker.setRecorded({}, before); // no history yet
        return success();
    }
    store::UsageQuery query(dataDir);
    if (Status opened = query.open(); !opened)
        return opened;
    QList<QDate> balanceDays;
    for (const Budget &budget : tracker.budgets()) {
        if (budget.prepaidSince.isValid())
            balanceDays.append(budget.prepaidSince);
    }
    QList<QDateTime> edges = cuts(before, Calendar::zone(), balanceDays);
    edges.append(before);
    store::UsageQuery::Grouping byClient;
    byClient.byClient = true;
    QList<BudgetTracker::RecordedSpend> spans;
    // Everything before the first cut is one piece, keyed just before it.
    QDateTime from;
    for (const QDateTime &to : std::as_const(edges)) {
        auto pieces = query.totals(from, to, byClient);
        if (!pieces)
            return Status::failure(pieces.error());
        const QDateTime key = from.isValid() ? from : to.addMSecs(-1);
        for (const store::UsageAggregate &piece : pieces.value())
            spans.append({piece.client, key, piece.costMicroUsd});
        from = to;
    }
    tracker.setRecorded(spans, before);
    return success();
}

} // namespace sy::limits
