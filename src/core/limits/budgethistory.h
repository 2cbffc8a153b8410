// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QList>
#include <QTimeZone>

#include "common/result.h"

namespace sy::limits {

class BudgetTracker;

// Gives a BudgetTracker the spend recorded in the usage store before this process served,
// exact for the calendar's days: the history is cut at every local midnight of this month
// (today and this month's start among them) and at the start of every prepaid balance's
// first day, and each piece is summed exactly (store::UsageQuery::totals), so no piece
// straddles a start of period the budgets ask about, whatever the zone's offset.
class BudgetHistory
{
public:
    // Call it once before the gateway serves, and again after a reload that changed the
    // time zone or the budgets (a new balance date): the second call re-reads the store only
    // up to the first one's instant, so this process's own requests are not counted twice.
    // Reads the store on the calling thread (a few dozen small indexed queries). No usage
    // database yet is no error: budgets start from zero.
    static Status load(BudgetTracker &tracker, const QString &dataDir, const QDateTime &now);

    // Where the history is cut for `budgets` in `zone`, all before `before`, ascending.
    static QList<QDateTime> cuts(const QDateTime &before, const QTimeZone &zone, const QList<QDate> &balanceDays);
};

} // namespace sy::limits
