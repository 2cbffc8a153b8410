// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <optional>

#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "common/result.h"
#include "common/tokenusage.h"
#include "modelprice.h"

namespace sy::pricing {

// Model prices: the built-in book (resources/pricing.json) with the user's overrides on
// top. Costs are computed once, when a request ends, and stored with version(), so that
// history does not change when prices do. Immutable after load, so one instance can be
// shared by every gateway thread.
class PriceBook
{
public:
    // Overrides use the same shape as pricing.json's "providers" object:
    //   {"ollama": {"models": {"*": {"input": 0, "output": 0}}},
    //    "openai": {"models": {"my-finetune": {"input": 3, "output": 12, "cached_input": 1.5}}}}
    // "*" prices every model of that provider (local models at zero cost). A model may add
    //   "long_prompt": [{"above_prompt_tokens": 200000, "input": 4, "output": 18}]
    // for dearer long prompts, and
    //   "changes": [{"from": "2027-01-01", "input": 1.5, "output": 7.5}]
    // for a price announced to change on a UTC day; each change is a whole new price, and
    //   "peak": {"weekdays": [1, 2, 3, 4, 5], "utc": ["01:00-04:00"], "input": 2, "output": 2}
    // for busy hours that cost more (weekdays 1 = Monday … 7 = Sunday, times in UTC).
    static Result<PriceBook> load(const QJsonObject &overrides = {});
    // Parses a book in pricing.json's format; for tests and for load().
    static Result<PriceBook> fromJson(const QByteArray &json, const QJsonObject &overrides = {});

    // "2026-02-01", or "2026-02-01+user.1a2b3c4d" when overrides apply.
    QString version() const { return m_version; }

    // Looks the model up under the provider (an id or kind from the config), then, if
    // that provider has no entry for it, under the one built-in provider that lists it.
    // A dated model id ("claude-sonnet-4-5-20250929") falls back to its undated name.
    // `at` is when the request started: it picks announced changes and busy hours.
    std::optional<ModelPrice> price(const QString &provider, const QString &model, const QDateTime &at) const;

    // Cost in integer micro-dollars, rounded half up once at the end; std::nullopt when
    // the model has no price or the usage is unknown: unknown, never zero.
    std::optional<qint64> costMicroUsd(const QString &provider, const QString &model, const TokenUsage &usage,
                                       CacheConvention convention, const QDateTime &at) const;
    static qint64 cost(const ModelPrice &price, const TokenUsage &usage, CacheConvention convention);

private:
    // Busy hours in which a provider charges another price (DeepSeek: weekdays, 01:00–04:00
    // and 06:00–10:00 UTC, at twice the rates).
    struct PeakHours
    {
        QList<int> weekdays; // 1 = Monday … 7 = Sunday
        QList<std::pair<int, int>> minutes; // [start, end) in minutes after midnight UTC

        bool contains(const QDateTime &at) const;
    };
    // The price in force from one day on, with its busy-hours price if it has one.
    struct Period
    {
        ModelPrice price;
        std::optional<ModelPrice> peak;
        PeakHours peakHours;
    };
    // A model's prices over time: `changes` take over from their UTC day on, in order.
    struct Schedule
    {
        Period first;
        QList<std::pair<QDate, Period>> changes;

        const ModelPrice &at(const QDateTime &at) const;
    };
    static Result<Period> parsePeriod(const QJsonObject &fields);
    static Result<Schedule> parseSchedule(const QJsonObject &fields);

    Status addProviders(const QJsonObject &providers, bool override);
    const Schedule *find(const QString &provider, const QString &model) const;

    QString m_version;
    QHash<QString, QHash<QString, Schedule>> m_prices; // provider → model → prices
};

} // namespace sy::pricing
