// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <optional>

#include <QHash>
#include <QJsonObject>
#include <QString>

#include "common/result.h"
#include "modelprice.h"
#include "common/tokenusage.h"

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
    // "*" prices every model of that provider (local models at zero cost).
    static Result<PriceBook> load(const QJsonObject &overrides = {});
    // Parses a book in pricing.json's format; for tests and for load().
    static Result<PriceBook> fromJson(const QByteArray &json, const QJsonObject &overrides = {});

    // "2026-02-01", or "2026-02-01+user.1a2b3c4d" when overrides apply.
    QString version() const { return m_version; }

    // Looks the model up under the provider (an id or kind from the config), then, if
    // that provider has no entry for it, under the one built-in provider that lists it.
    // A dated model id ("claude-sonnet-4-5-20250929") falls back to its undated name.
    std::optional<ModelPrice> price(const QString &provider, const QString &model) const;

    // Cost in integer micro-dollars, rounded half up once at the end; std::nullopt when
    // the model has no price or the usage is unknown: unknown, never zero.
    std::optional<qint64> costMicroUsd(const QString &provider, const QString &model, const TokenUsage &usage,
                                       CacheConvention convention) const;
    static qint64 cost(const ModelPrice &price, const TokenUsage &usage, CacheConvention convention);

private:
    Status addProviders(const QJsonObject &providers, bool override);
    const ModelPrice *find(const QString &provider, const QString &model) const;

    QString m_version;
    QHash<QString, QHash<QString, ModelPrice>> m_prices; // provider → model → price
};

} // namespace sy::pricing
