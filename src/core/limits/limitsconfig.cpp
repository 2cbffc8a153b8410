// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "limitsconfig.h"

#include <QJsonObject>

namespace sy::limits {

QString scopeName(Scope scope)
{
    switch (scope) {
    case Scope::Client:
        return QStringLiteral("client");
    case Scope::Provider:
        return QStringLiteral("provider");
    case Scope::Model:
        return QStringLiteral("model");
    case Scope::Address:
        return QStringLiteral("address");
    case Scope::ProviderKey:
        return QStringLiteral("provider_key");
    case Scope::Global:
        return QStringLiteral("global");
    }
    return {};
}

namespace {

std::optional<Scope> parseScope(const QString &name)
{
    for (Scope scope :
         {Scope::Client, Scope::Provider, Scope::ProviderKey, Scope::Model, Scope::Address, Scope::Global}) {
        if (scopeName(scope) == name)
            return scope;
    }
    return std::nullopt;
}

// A non-negative whole number, or absent (0).
bool readCount(const QJsonObject &object, QLatin1StringView key, qint64 &out)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return true;
    const double d = value.toDouble(-1);
    if (!value.isDouble() || d < 0 || d != double(qint64(d)))
        return false;
    out = qint64(d);
    return true;
}

// Dollars (may have cents) as micro-dollars.
bool readUsd(const QJsonObject &object, QLatin1StringView key, qint64 &out)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return true;
    if (!value.isDouble() || value.toDouble() < 0)
        return false;
    out = qint64(value.toDouble() * 1e6 + 0.5);
    return true;
}

} // namespace

Result<LimitsConfig> LimitsConfig::fromJson(const QJsonArray &limits, const QJsonArray &budgets)
{
    using Error = Result<LimitsConfig>;
    LimitsConfig config;
    for (qsizetype i = 0; i < limits.size(); ++i) {
        const QJsonObject object = limits.at(i).toObject();
        const QString where = QStringLiteral("limits[%1]").arg(i);
        const auto scope = parseScope(object.value(u"scope").toString());
        if (!scope || *scope == Scope::Global)
            return Error::failure(where
                                  + QStringLiteral(": scope must be client, provider, provider_key, model or address"));
        RateLimit limit;
        limit.scope = *scope;
        limit.name = object.value(u"name").toString();
        if (limit.name.isEmpty() && limit.scope != Scope::Address)
            return Error::failure(where + QStringLiteral(": name is required"));
        if (limit.scope == Scope::ProviderKey && !limit.name.contains(u'/'))
            return Error::failure(
                where + QStringLiteral(": a provider_key limit names PROVIDER/LABEL, e.g. \"openai/default\""));
        qint64 concurrency = 0;
        if (!readCount(object, QLatin1StringView("rpm"), limit.rpm)
            || !readCount(object, QLatin1StringView("tpm"), limit.tpm)
            || !readCount(object, QLatin1StringView("concurrency"), concurrency))
            return Error::failure(where + QStringLiteral(": rpm, tpm and concurrency are whole numbers, 0 or more"));
        limit.concurrency = int(concurrency);
        config.limits.append(limit);
    }
    for (qsizetype i = 0; i < budgets.size(); ++i) {
        const QJsonObject object = budgets.at(i).toObject();
        const QString where = QStringLiteral("budgets[%1]").arg(i);
        const auto scope = parseScope(object.value(u"scope").toString());
        if (!scope || (*scope != Scope::Client && *scope != Scope::Global))
            return Error::failure(where + QStringLiteral(": scope must be client or global"));
        Budget budget;
        budget.scope = *scope;
        budget.name = object.value(u"name").toString();
        if (budget.scope == Scope::Client && budget.name.isEmpty())
            return Error::failure(where + QStringLiteral(": name is required"));
        if (!readUsd(object, QLatin1StringView("daily_usd"), budget.dailyMicroUsd)
            || !readUsd(object, QLatin1StringView("monthly_usd"), budget.monthlyMicroUsd))
            return Error::failure(where + QStringLiteral(": daily_usd and monthly_usd are amounts, 0 or more"));
        if (object.contains(u"prepaid_usd")) {
            if (budget.scope != Scope::Client)
                return Error::failure(where + QStringLiteral(": prepaid_usd is for client budgets"));
            if (!readUsd(object, QLatin1StringView("prepaid_usd"), budget.prepaidMicroUsd))
                return Error::failure(where + QStringLiteral(": prepaid_usd is an amount, 0 or more"));
            budget.prepaidSince = QDate::fromString(object.value(u"prepaid_since").toString(), Qt::ISODate);
            if (!budget.prepaidSince.isValid())
                return Error::failure(where
                                      + QStringLiteral(": prepaid_usd needs prepaid_since, the date "
                                                       "from which spend draws it down (e.g. \"2026-11-01\")"));
        }
        config.budgets.append(budget);
    }
    return config;
}

} // namespace sy::limits
