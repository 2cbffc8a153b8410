// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QDate>
#include <QJsonArray>
#include <QList>
#include <QString>

#include "common/result.h"

namespace sy::limits {

enum class Scope { Client, Provider, ProviderKey, Model, Address, Global };

// One "limits" entry: requests and tokens per minute and requests at once, for one
// client key, provider, key of a provider's pool ("openai/team-b"), model or (when
// listening beyond loopback) remote address.
struct RateLimit
{
    Scope scope = Scope::Client;
    QString name; // empty for the address scope: every address gets its own buckets
    qint64 rpm = 0; // 0: no limit
    qint64 tpm = 0;
    int concurrency = 0;
};

// One "budgets" entry: a spend cap in micro-dollars per day and per month of the calendar
// (sy::Calendar: the user's time zone, or the one "time_zone" names), and for a client a
// prepaid balance that its spend since a date draws down.
struct Budget
{
    Scope scope = Scope::Global; // Client or Global
    QString name;
    qint64 dailyMicroUsd = 0; // 0: no cap
    qint64 monthlyMicroUsd = 0;
    qint64 prepaidMicroUsd = 0; // 0: none
    QDate prepaidSince; // the calendar's day from whose start spend counts against the balance
};

struct LimitsConfig
{
    QList<RateLimit> limits;
    QList<Budget> budgets;

    static Result<LimitsConfig> fromJson(const QJsonArray &limits, const QJsonArray &budgets);
};

QString scopeName(Scope scope);

} // namespace sy::limits
