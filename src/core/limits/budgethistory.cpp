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
    auto spans = read(tracker.budgets(), dataDir, before);
    if (!spans)
        return Status::failure(spans.error());
    tracker.setRecorded(spans.value(), before);
    return success();
}

Result<QList<BudgetTracker::RecordedSpend>> BudgetHistory::read(const QList<Budget> &budgets, const QString &dataDir,
                                                                const QDateTime &before)
{
    using Spans = QList<BudgetTracker::RecordedSpend>;
    if (!QFileInfo::exists(store::Database::filePath(dataDir)))
        return Spans(); // no history yet
    store::UsageQuery query(dataDir);
    if (Status opened = query.open(); !opened)
        return Result<Spans>::failure(opened.error());
    QList<QDate> balanceDays;
    for (const Budget &budget : budgets) {
        if (budget.prepaidSince.isValid())
            balanceDays.append(budget.prepaidSince);
    }
    QList<QDateTime> edges = cuts(before, Calendar::zone(), balanceDays);
    edges.append(before);
    store::UsageQuery::Grouping byClient;
    byClient.byClient = true;
    Spans spans;
    // Nothing before the first cut counts: no budget looks further back than this month or
    // its balance's first day.
    for (qsizetype i = 0; i + 1 < edges.size(); ++i) {
        auto pieces = query.totals(edges.at(i), edges.at(i + 1), byClient);
        if (!pieces)
            return Result<Spans>::failure(pieces.error());
        for (const store::UsageAggregate &piece : pieces.value())
            spans.append({piece.client, edges.at(i), piece.costMicroUsd});
    }
    return spans;
}

} // namespace sy::limits
