// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "keyrotation.h"
#include "limits/limitsconfig.h"
#include "limits/ratelimiter.h"
#include "routestats.h"

namespace sy::limits {
class BudgetTracker;
}

namespace sy::gateway {

// What a window shows of the gateway's shared state at one instant: rate limits at their
// levels, budgets' spend in the calendar's periods, keys resting after a 429 and what each
// route target did. A copy: nothing in it refers into gateway threads, so it may cross
// threads and the control channel (toJson/fromJson, the `state` command in docs/CONTROL.md).
struct GatewaySnapshot
{
    // One period of one budget: a day or a month in the user's calendar (sy::Calendar), or
    // a prepaid balance since its first day.
    struct Budget
    {
        enum class Period { Day, Month, Prepaid };
        limits::Scope scope = limits::Scope::Global; // Global or Client
        QString name; // the client key's name; empty for the global budget
        Period period = Period::Day;
        QDateTime periodStart; // UTC; for a balance, the start of its first day
        QDateTime periodEnd; // UTC, exclusive; invalid for a balance (it lasts until raised)
        qint64 capMicroUsd = 0; // the cap, or the balance
        qint64 spentMicroUsd = 0; // recorded spend in the period (requests in flight not yet)
        qint64 remainingMicroUsd() const { return capMicroUsd - spentMicroUsd; }
        bool usedUp() const { return spentMicroUsd >= capMicroUsd; } // new requests are refused
    };

    QDateTime takenAt; // invalid: no gateway runs
    QList<limits::RateLimiter::Level> limits;
    QList<Budget> budgets;
    QList<KeyRotation::Resting> restingKeys;
    QList<RouteStats::Target> targets;

    bool isValid() const { return takenAt.isValid(); }

    // Copies the state of the four shared objects at `now` (UTC), each under its own lock,
    // held only while copying. Any thread.
    static GatewaySnapshot take(limits::RateLimiter &limiter, limits::BudgetTracker &budgets, const KeyRotation &keys,
                                const RouteStats &stats, const QDateTime &now);

    // The control channel's form (docs/CONTROL.md) and back; fields fromJson does not know
    // are ignored, missing ones keep their defaults.
    QJsonObject toJson() const;
    static GatewaySnapshot fromJson(const QJsonObject &object);

    static QString kindName(limits::RateLimiter::Level::Kind kind); // "rpm", "tpm", "concurrency"
    static QString periodName(Budget::Period period); // "day", "month", "prepaid"
};

} // namespace sy::gateway
