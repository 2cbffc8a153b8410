// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "gatewaysnapshot.h"

#include <QJsonArray>
#include <QTimeZone>

#include "common/calendar.h"
#include "limits/budgettracker.h"

namespace sy::gateway {

namespace {

using Level = limits::RateLimiter::Level;
using Budget = GatewaySnapshot::Budget;

QString isoMs(const QDateTime &at)
{
    return at.isValid() ? at.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime fromIsoMs(const QJsonValue &value)
{
    QDateTime at = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return at.isValid() ? at.toUTC() : QDateTime();
}

limits::Scope scopeNamed(const QString &name)
{
    using limits::Scope;
    for (Scope scope :
         {Scope::Client, Scope::Provider, Scope::ProviderKey, Scope::Model, Scope::Address, Scope::Global}) {
        if (limits::scopeName(scope) == name)
            return scope;
    }
    return Scope::Global;
}

// The instant (UTC) a calendar date begins in `zone`.
QDateTime startOfDate(const QDate &date, const QTimeZone &zone)
{
    return Calendar::startOfDay(QDateTime(date, QTime(12, 0), zone).toUTC(), zone);
}

} // namespace

GatewaySnapshot GatewaySnapshot::take(limits::RateLimiter &limiter, limits::BudgetTracker &budgets,
                                      const KeyRotation &keys, const RouteStats &stats, const QDateTime &now)
{
    GatewaySnapshot snapshot;
    snapshot.takenAt = now.toUTC();
    const qint64 nowMs = now.toMSecsSinceEpoch();
    snapshot.limits = limiter.levels(nowMs);
    snapshot.restingKeys = keys.resting(nowMs);
    snapshot.targets = stats.targets();

    // Periods as the budgets count them: days and months of the calendar in force.
    const QTimeZone zone = Calendar::zone();
    const QDateTime dayStart = Calendar::startOfDay(snapshot.takenAt, zone);
    const QDateTime dayEnd = Calendar::startOfNextDay(snapshot.takenAt, zone);
    const QDateTime monthStart = Calendar::startOfMonth(snapshot.takenAt, zone);
    const QDateTime monthEnd = Calendar::startOfMonth(monthStart.addDays(32), zone);
    for (const limits::Budget &budget : budgets.budgets()) {
        const QString client = budget.scope == limits::Scope::Global ? QString() : budget.name;
        Budget entry;
        entry.scope = budget.scope;
        entry.name = client;
        if (budget.dailyMicroUsd > 0) {
            entry.period = Budget::Period::Day;
            entry.periodStart = dayStart;
            entry.periodEnd = dayEnd;
            entry.capMicroUsd = budget.dailyMicroUsd;
            entry.spentMicroUsd = budgets.spent(client, false, snapshot.takenAt);
            snapshot.budgets.append(entry);
        }
        if (budget.monthlyMicroUsd > 0) {
            entry.period = Budget::Period::Month;
            entry.periodStart = monthStart;
            entry.periodEnd = monthEnd;
            entry.capMicroUsd = budget.monthlyMicroUsd;
            entry.spentMicroUsd = budgets.spent(client, true, snapshot.takenAt);
            snapshot.budgets.append(entry);
        }
        if (budget.prepaidSince.isValid()) {
            entry.period = Budget::Period::Prepaid;
            entry.periodStart = startOfDate(budget.prepaidSince, zone);
            entry.periodEnd = QDateTime();
            entry.capMicroUsd = budget.prepaidMicroUsd;
            entry.spentMicroUsd = budgets.spentSince(client, budget.prepaidSince);
            snapshot.budgets.append(entry);
        }
    }
    return snapshot;
}

QString GatewaySnapshot::kindName(Level::Kind kind)
{
    switch (kind) {
    case Level::Kind::Rpm:
        return QStringLiteral("rpm");
    case Level::Kind::Tpm:
        return QStringLiteral("tpm");
    case Level::Kind::Concurrency:
        return QStringLiteral("concurrency");
    }
    return {};
}

QString GatewaySnapshot::periodName(Budget::Period period)
{
    switch (period) {
    case Budget::Period::Day:
        return QStringLiteral("day");
    case Budget::Period::Month:
        return QStringLiteral("month");
    case Budget::Period::Prepaid:
        return QStringLiteral("prepaid");
    }
    return {};
}

QJsonObject GatewaySnapshot::toJson() const
{
    QJsonArray limitsJson;
    for (const Level &level : limits)
        limitsJson.append(QJsonObject {{QStringLiteral("scope"), limits::scopeName(level.scope)},
                                       {QStringLiteral("name"), level.name},
                                       {QStringLiteral("kind"), kindName(level.kind)},
                                       {QStringLiteral("limit"), level.limit},
                                       {QStringLiteral("used"), level.used},
                                       {QStringLiteral("retry_after_ms"), level.retryAfterMs}});
    QJsonArray budgetsJson;
    for (const Budget &budget : budgets) {
        QJsonObject object {{QStringLiteral("scope"), limits::scopeName(budget.scope)},
                            {QStringLiteral("name"), budget.name},
                            {QStringLiteral("period"), periodName(budget.period)},
                            {QStringLiteral("period_start"), isoMs(budget.periodStart)},
                            {QStringLiteral("cap_micro_usd"), budget.capMicroUsd},
                            {QStringLiteral("spent_micro_usd"), budget.spentMicroUsd},
                            {QStringLiteral("remaining_micro_usd"), budget.remainingMicroUsd()},
                            {QStringLiteral("used_up"), budget.usedUp()}};
        if (budget.periodEnd.isValid())
            object.insert(u"period_end", isoMs(budget.periodEnd));
        budgetsJson.append(object);
    }
    QJsonArray restingJson;
    for (const KeyRotation::Resting &resting : restingKeys)
        restingJson.append(QJsonObject {
            {QStringLiteral("provider"), resting.provider},
            {QStringLiteral("key_label"), resting.label},
            {QStringLiteral("model"), resting.model},
            {QStringLiteral("wakes_at"), isoMs(QDateTime::fromMSecsSinceEpoch(resting.wakesAtMs, Qt::UTC))}});
    QJsonArray targetsJson;
    for (const RouteStats::Target &target : targets) {
        QJsonObject object {{QStringLiteral("provider"), target.provider},
                            {QStringLiteral("model"), target.model},
                            {QStringLiteral("requests"), target.requests},
                            {QStringLiteral("errors"), target.errors},
                            {QStringLiteral("rate_limited"), target.rateLimited}};
        if (target.averageTtfbMs)
            object.insert(u"ttfb_avg_ms", *target.averageTtfbMs);
        if (target.averageLatencyMs)
            object.insert(u"latency_avg_ms", *target.averageLatencyMs);
        targetsJson.append(object);
    }
    QJsonObject object {{QStringLiteral("limits"), limitsJson},
                        {QStringLiteral("budgets"), budgetsJson},
                        {QStringLiteral("resting_keys"), restingJson},
                        {QStringLiteral("targets"), targetsJson}};
    if (takenAt.isValid())
        object.insert(u"taken_at", isoMs(takenAt));
    return object;
}

GatewaySnapshot GatewaySnapshot::fromJson(const QJsonObject &object)
{
    GatewaySnapshot snapshot;
    snapshot.takenAt = fromIsoMs(object.value(u"taken_at"));
    const auto integer = [](const QJsonObject &o, QStringView key) { return qint64(o.value(key).toDouble()); };
    for (const QJsonValue &value : object.value(u"limits").toArray()) {
        const QJsonObject o = value.toObject();
        Level level;
        level.scope = scopeNamed(o.value(u"scope").toString());
        level.name = o.value(u"name").toString();
        const QString kind = o.value(u"kind").toString();
        for (Level::Kind k : {Level::Kind::Rpm, Level::Kind::Tpm, Level::Kind::Concurrency}) {
            if (kindName(k) == kind)
                level.kind = k;
        }
        level.limit = integer(o, u"limit");
        level.used = integer(o, u"used");
        level.retryAfterMs = integer(o, u"retry_after_ms");
        snapshot.limits.append(level);
    }
    for (const QJsonValue &value : object.value(u"budgets").toArray()) {
        const QJsonObject o = value.toObject();
        Budget budget;
        budget.scope = scopeNamed(o.value(u"scope").toString());
        budget.name = o.value(u"name").toString();
        const QString period = o.value(u"period").toString();
        for (Budget::Period p : {Budget::Period::Day, Budget::Period::Month, Budget::Period::Prepaid}) {
            if (periodName(p) == period)
                budget.period = p;
        }
        budget.periodStart = fromIsoMs(o.value(u"period_start"));
        budget.periodEnd = fromIsoMs(o.value(u"period_end"));
        budget.capMicroUsd = integer(o, u"cap_micro_usd");
        budget.spentMicroUsd = integer(o, u"spent_micro_usd");
        snapshot.budgets.append(budget);
    }
    for (const QJsonValue &value : object.value(u"resting_keys").toArray()) {
        const QJsonObject o = value.toObject();
        const QDateTime wakes = fromIsoMs(o.value(u"wakes_at"));
        snapshot.restingKeys.append({o.value(u"provider").toString(), o.value(u"key_label").toString(),
                                     o.value(u"model").toString(), wakes.isValid() ? wakes.toMSecsSinceEpoch() : 0});
    }
    for (const QJsonValue &value : object.value(u"targets").toArray()) {
        const QJsonObject o = value.toObject();
        RouteStats::Target target;
        target.provider = o.value(u"provider").toString();
        target.model = o.value(u"model").toString();
        target.requests = integer(o, u"requests");
        target.errors = integer(o, u"errors");
        target.rateLimited = integer(o, u"rate_limited");
        if (o.contains(u"ttfb_avg_ms"))
            target.averageTtfbMs = o.value(u"ttfb_avg_ms").toDouble();
        if (o.contains(u"latency_avg_ms"))
            target.averageLatencyMs = o.value(u"latency_avg_ms").toDouble();
        snapshot.targets.append(target);
    }
    return snapshot;
}

} // namespace sy::gateway
