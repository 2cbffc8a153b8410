// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "pricebook.h"

#include <algorithm>
#include <cmath>

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include "logging.h"

namespace sy::pricing {

namespace {

const QString kAnyModel = QStringLiteral("*");

// USD per million tokens as a JSON number → integer micro-dollars per million tokens.
std::optional<qint64> microUsd(const QJsonValue &value)
{
    if (!value.isDouble() || value.toDouble() < 0 || value.toDouble() > 1e6)
        return std::nullopt;
    return std::llround(value.toDouble() * 1e6);
}

// "claude-sonnet-4-5-20250929" → "claude-sonnet-4-5"; "gpt-4o-2024-08-06" → "gpt-4o".
QString withoutDateSuffix(const QString &model)
{
    static const QRegularExpression date(QStringLiteral("-(\\d{8}|\\d{4}-\\d{2}-\\d{2})$"));
    QString stripped = model;
    stripped.remove(date);
    return stripped;
}

Result<Rates> parseRates(const QJsonObject &fields)
{
    const auto input = microUsd(fields.value(u"input"));
    const auto output = microUsd(fields.value(u"output"));
    if (!input || !output)
        return Result<Rates>::failure(QStringLiteral("needs numeric \"input\" and \"output\""));
    Rates rates;
    rates.input = *input;
    rates.output = *output;
    // An absent rate costs `fallback`; a present one that is not a price is -1 (an error).
    const auto optionalRate = [&fields](QStringView key, qint64 fallback) {
        return fields.contains(key) ? microUsd(fields.value(key)).value_or(-1) : fallback;
    };
    // Without a separate rate, cached and cache-write tokens cost what input costs.
    rates.cachedInput = optionalRate(u"cached_input", *input);
    rates.cacheWrite = optionalRate(u"cache_write", *input);
    // Without a 1-hour rate, 1-hour writes cost what 5-minute writes cost.
    rates.cacheWrite1h = optionalRate(u"cache_write_1h", rates.cacheWrite);
    if (rates.cachedInput < 0 || rates.cacheWrite < 0 || rates.cacheWrite1h < 0)
        return Result<Rates>::failure(QStringLiteral("has a bad cache price"));
    return rates;
}

Result<ModelPrice> parsePrice(const QJsonObject &fields)
{
    Result<Rates> rates = parseRates(fields);
    if (!rates)
        return Result<ModelPrice>::failure(rates.error());
    ModelPrice price {rates.value(), {}};
    const QJsonValue tiers = fields.value(u"long_prompt");
    if (!tiers.isUndefined() && !tiers.isArray())
        return Result<ModelPrice>::failure(QStringLiteral("has \"long_prompt\" that is not a list"));
    for (const QJsonValue &value : tiers.toArray()) {
        const QJsonObject tier = value.toObject();
        const double above = tier.value(u"above_prompt_tokens").toDouble(-1);
        const qint64 previous = price.longPrompt.isEmpty() ? 0 : price.longPrompt.last().abovePromptTokens;
        if (above != std::floor(above) || above <= double(previous) || above > 1e12)
            return Result<ModelPrice>::failure(QStringLiteral(
                "needs each long_prompt tier to have a whole \"above_prompt_tokens\", larger than the one before"));
        Result<Rates> tierRates = parseRates(tier);
        if (!tierRates)
            return Result<ModelPrice>::failure(
                QStringLiteral("above %1 prompt tokens %2").arg(qint64(above)).arg(tierRates.error()));
        price.longPrompt.append({qint64(above), tierRates.value()});
    }
    return price;
}

} // namespace

Result<PriceBook> PriceBook::load(const QJsonObject &overrides)
{
    QFile file(QStringLiteral(":/pricing/pricing.json"));
    if (!file.open(QIODevice::ReadOnly))
        return Result<PriceBook>::failure(QStringLiteral("the built-in price book is missing"));
    return fromJson(file.readAll(), overrides);
}

Result<PriceBook> PriceBook::fromJson(const QByteArray &json, const QJsonObject &overrides)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (!document.isObject())
        return Result<PriceBook>::failure(QStringLiteral("price book: %1").arg(error.errorString()));
    const QJsonObject root = document.object();

    PriceBook book;
    book.m_version = root.value(u"version").toString();
    if (book.m_version.isEmpty())
        return Result<PriceBook>::failure(QStringLiteral("price book: no \"version\""));
    if (Status status = book.addProviders(root.value(u"providers").toObject(), false); !status)
        return Result<PriceBook>::failure(status.error());

    if (!overrides.isEmpty()) {
        if (Status status = book.addProviders(overrides, true); !status)
            return Result<PriceBook>::failure(status.error());
        // The version names the overrides too, so a stored cost can be traced to its prices.
        const QByteArray canonical = QJsonDocument(overrides).toJson(QJsonDocument::Compact);
        const QByteArray digest = QCryptographicHash::hash(canonical, QCryptographicHash::Sha256).toHex().left(8);
        book.m_version += QStringLiteral("+user.") + QString::fromLatin1(digest);
    }
    qCDebug(lcPricing) << "price book" << book.m_version << "for" << book.m_prices.size() << "providers";
    return book;
}

Status PriceBook::addProviders(const QJsonObject &providers, bool override)
{
    for (auto provider = providers.begin(); provider != providers.end(); ++provider) {
        const QJsonObject models = provider.value().toObject().value(u"models").toObject();
        if (!override && models.isEmpty())
            return Status::failure(QStringLiteral("price book: provider \"%1\" has no models").arg(provider.key()));
        QHash<QString, Schedule> &target = m_prices[provider.key()];
        for (auto model = models.begin(); model != models.end(); ++model) {
            Result<Schedule> schedule = parseSchedule(model.value().toObject());
            if (!schedule)
                return Status::failure(
                    QStringLiteral("price book: %1/%2 %3").arg(provider.key(), model.key(), schedule.error()));
            target.insert(model.key(), std::move(schedule).value());
        }
    }
    return success();
}

Result<PriceBook::Period> PriceBook::parsePeriod(const QJsonObject &fields)
{
    Result<ModelPrice> price = parsePrice(fields);
    if (!price)
        return Result<Period>::failure(price.error());
    Period period {std::move(price).value(), {}, {}};
    const QJsonValue peakValue = fields.value(u"peak");
    if (peakValue.isUndefined())
        return period;
    const QJsonObject peak = peakValue.toObject();
    for (const QJsonValue &day : peak.value(u"weekdays").toArray()) {
        const int weekday = day.toInt(0);
        if (weekday < 1 || weekday > 7 || day.toDouble() != weekday)
            return Result<Period>::failure(QStringLiteral("has a peak weekday that is not 1 (Monday) to 7 (Sunday)"));
        period.peakHours.weekdays.append(weekday);
    }
    static const QRegularExpression span(QStringLiteral("^(\\d\\d):(\\d\\d)-(\\d\\d):(\\d\\d)$"));
    for (const QJsonValue &value : peak.value(u"utc").toArray()) {
        const QRegularExpressionMatch match = span.match(value.toString());
        const int start = match.captured(1).toInt() * 60 + match.captured(2).toInt();
        const int end = match.captured(3).toInt() * 60 + match.captured(4).toInt();
        if (!match.hasMatch() || match.captured(2).toInt() > 59 || match.captured(4).toInt() > 59 || start >= end
            || end > 24 * 60)
            return Result<Period>::failure(
                QStringLiteral("has a peak time that is not \"HH:MM-HH:MM\" (UTC, start before end)"));
        period.peakHours.minutes.append({start, end});
    }
    if (period.peakHours.weekdays.isEmpty() || period.peakHours.minutes.isEmpty())
        return Result<Period>::failure(QStringLiteral("needs a \"peak\" object with \"weekdays\" and \"utc\" lists"));
    Result<ModelPrice> peakPrice = parsePrice(peak);
    if (!peakPrice)
        return Result<Period>::failure(QStringLiteral("at peak %1").arg(peakPrice.error()));
    period.peak = std::move(peakPrice).value();
    return period;
}

bool PriceBook::PeakHours::contains(const QDateTime &at) const
{
    const QDateTime utc = at.toUTC();
    if (!weekdays.contains(utc.date().dayOfWeek()))
        return false;
    const int minute = utc.time().hour() * 60 + utc.time().minute();
    return std::any_of(minutes.cbegin(), minutes.cend(),
                       [minute](const auto &span) { return minute >= span.first && minute < span.second; });
}

Result<PriceBook::Schedule> PriceBook::parseSchedule(const QJsonObject &fields)
{
    Result<Period> first = parsePeriod(fields);
    if (!first)
        return Result<Schedule>::failure(first.error());
    Schedule schedule {std::move(first).value(), {}};
    const QJsonValue changes = fields.value(u"changes");
    if (!changes.isUndefined() && !changes.isArray())
        return Result<Schedule>::failure(QStringLiteral("has \"changes\" that is not a list"));
    QDate previous;
    for (const QJsonValue &value : changes.toArray()) {
        const QJsonObject change = value.toObject();
        const QDate from = QDate::fromString(change.value(u"from").toString(), Qt::ISODate);
        if (!from.isValid() || (previous.isValid() && from <= previous))
            return Result<Schedule>::failure(
                QStringLiteral("needs each change to have a \"from\" day (YYYY-MM-DD), later than the one before"));
        Result<Period> period = parsePeriod(change);
        if (!period)
            return Result<Schedule>::failure(
                QStringLiteral("from %1 %2").arg(from.toString(Qt::ISODate), period.error()));
        schedule.changes.append({from, std::move(period).value()});
        previous = from;
    }
    return schedule;
}

const ModelPrice &PriceBook::Schedule::at(const QDateTime &at) const
{
    const QDate day = at.toUTC().date();
    const Period *current = &first;
    for (const auto &[from, period] : changes) {
        if (day >= from)
            current = &period;
    }
    if (current->peak && current->peakHours.contains(at))
        return *current->peak;
    return current->price;
}

const PriceBook::Schedule *PriceBook::find(const QString &provider, const QString &model) const
{
    const QString undated = withoutDateSuffix(model);
    const auto lookIn = [&](const QHash<QString, Schedule> &models) -> const Schedule * {
        if (auto it = models.constFind(model); it != models.cend())
            return &*it;
        if (auto it = models.constFind(undated); it != models.cend())
            return &*it;
        if (auto it = models.constFind(kAnyModel); it != models.cend())
            return &*it;
        return nullptr;
    };
    if (auto it = m_prices.constFind(provider); it != m_prices.cend()) {
        if (const Schedule *schedule = lookIn(*it))
            return schedule;
    }
    // A provider id of the user's own ("work-openai") or an OpenAI-compatible kind: accept
    // the model's price only where exactly one provider lists it, never a guess between two.
    const Schedule *found = nullptr;
    for (auto it = m_prices.cbegin(); it != m_prices.cend(); ++it) {
        auto exact = it->constFind(model);
        if (exact == it->cend())
            exact = it->constFind(undated);
        if (exact == it->cend())
            continue;
        if (found)
            return nullptr;
        found = &*exact;
    }
    return found;
}

std::optional<ModelPrice> PriceBook::price(const QString &provider, const QString &model, const QDateTime &at) const
{
    if (const Schedule *found = find(provider, model))
        return found->at(at);
    return std::nullopt;
}

std::optional<qint64> PriceBook::costMicroUsd(const QString &provider, const QString &model, const TokenUsage &usage,
                                              CacheConvention convention, const QDateTime &at) const
{
    if (usage.input < 0 || usage.output < 0)
        return std::nullopt;
    const Schedule *found = find(provider, model);
    if (!found)
        return std::nullopt;
    return cost(found->at(at), usage, convention);
}

qint64 PriceBook::cost(const ModelPrice &price, const TokenUsage &usage, CacheConvention convention)
{
    const Rates &rates = price.ratesFor(usage.promptTokens(convention));
    const qint64 cached = qMax<qint64>(0, usage.cachedInput);
    const qint64 written = qMax<qint64>(0, usage.cacheWrite);
    const qint64 written1h = qBound<qint64>(0, usage.cacheWrite1h, written); // a part of `written`
    qint64 uncached = qMax<qint64>(0, usage.input);
    if (convention == CacheConvention::InputIncludesCached)
        uncached = qMax<qint64>(0, uncached - cached - written); // never count cached tokens twice
    // Sum in micro-dollars × tokens (exact integers), divide by a million once.
    const qint64 scaled = uncached * rates.input + cached * rates.cachedInput + (written - written1h) * rates.cacheWrite
        + written1h * rates.cacheWrite1h + qMax<qint64>(0, usage.output) * rates.output;
    return (scaled + 500'000) / 1'000'000;
}

} // namespace sy::pricing
