// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "format.h"

#include <cmath>

#include <QLocale>

namespace sy::gui {

QString Format::money(qint64 microUsd)
{
    if (microUsd < 0)
        return dash();
    const double dollars = double(microUsd) / 1e6;
    const int decimals = microUsd == 0 ? 2 : dollars < 0.01 ? 5 : dollars < 1 ? 4 : 2;
    const QLocale locale;
    if (locale.language() == QLocale::C) // the C locale would write 1.00$
        return u'$' + locale.toString(dollars, 'f', decimals);
    return locale.toCurrencyString(dollars, QStringLiteral("$"), decimals);
}

QString Format::moneyPerHour(qint64 microUsdPerHour)
{
    return tr("%1/h").arg(money(microUsdPerHour));
}

QString Format::count(qint64 value)
{
    return QLocale().toString(value);
}

QString Format::tokens(qint64 tokens)
{
    return tokens < 0 ? dash() : QLocale().toString(tokens);
}

QString Format::tokensCompact(qint64 tokens)
{
    if (tokens < 0)
        return dash();
    const QLocale locale;
    if (tokens < 10'000)
        return locale.toString(tokens);
    if (tokens < 1'000'000)
        return tr("%1 k").arg(locale.toString(double(tokens) / 1e3, 'f', tokens < 100'000 ? 1 : 0));
    if (tokens < 1'000'000'000)
        return tr("%1 M").arg(locale.toString(double(tokens) / 1e6, 'f', tokens < 100'000'000 ? 1 : 0));
    return tr("%1 G").arg(locale.toString(double(tokens) / 1e9, 'f', 1));
}

QString Format::duration(qint64 ms)
{
    if (ms < 0)
        return dash();
    const QLocale locale;
    if (ms < 1000)
        return tr("%1 ms").arg(locale.toString(ms));
    if (ms < 60'000)
        return tr("%1 s").arg(locale.toString(double(ms) / 1000.0, 'f', ms < 10'000 ? 2 : 1));
    const qint64 seconds = (ms + 500) / 1000;
    return tr("%1 min %2 s").arg(locale.toString(seconds / 60), locale.toString(seconds % 60));
}

namespace {
// The locale's short time format with seconds: requests a second apart must read apart.
QString timeFormatWithSeconds(const QLocale &locale)
{
    QString format = locale.timeFormat(QLocale::ShortFormat);
    if (!format.contains(u's'))
        format.replace(QStringLiteral("mm"), QStringLiteral("mm:ss"));
    return format;
}
} // namespace

QString Format::timeOfDay(const QDateTime &at)
{
    const QLocale locale;
    return locale.toString(at.toLocalTime().time(), timeFormatWithSeconds(locale));
}

QString Format::dateTime(const QDateTime &at)
{
    const QLocale locale;
    const QDateTime local = at.toLocalTime();
    return locale.toString(local.date(), QLocale::ShortFormat) + u' '
        + locale.toString(local.time(), timeFormatWithSeconds(locale));
}

QString Format::outcome(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Completed:
        return tr("completed");
    case Outcome::ClientDisconnected:
        return tr("client left");
    case Outcome::UpstreamFailed:
        return tr("provider failed");
    case Outcome::UpstreamTruncated:
        return tr("cut off");
    case Outcome::Rejected:
        return tr("refused by the gateway");
    }
    return {};
}

bool Format::isError(const UsageRecord &record)
{
    return record.status >= 400 || record.outcome != Outcome::Completed;
}

QString Format::reason(const UsageRecord &record)
{
    switch (record.outcome) {
    case Outcome::ClientDisconnected:
        return tr("the client left before the end");
    case Outcome::UpstreamTruncated:
        return tr("the provider cut the response off");
    case Outcome::UpstreamFailed:
        return record.status == 504 ? tr("the provider did not answer in time") : tr("the provider was unreachable");
    case Outcome::Rejected:
        switch (record.status) {
        case 400:
            return tr("bad request");
        case 401:
            return tr("client key missing or wrong");
        case 403:
            return tr("not allowed from this origin or host");
        case 404:
            return tr("unknown model, route or endpoint");
        case 405:
            return tr("method not allowed");
        case 413:
            return tr("request too large");
        case 429:
            return tr("a limit or budget was reached");
        case 503:
            return tr("the gateway is paused or has no provider key");
        default:
            return tr("refused by the gateway");
        }
    case Outcome::Completed:
        break;
    }
    if (record.status == 401 || record.status == 403)
        return tr("the provider refused the key");
    if (record.status == 429)
        return tr("rate limited by the provider");
    if (record.status >= 500)
        return tr("provider error");
    if (record.status >= 400)
        return tr("the provider refused the request");
    return {};
}

QString Format::errorLine(const UsageRecord &record)
{
    QStringList where;
    if (!record.provider.isEmpty())
        where << record.provider;
    if (!record.model.isEmpty())
        where << record.model;
    else if (!record.route.isEmpty())
        where << record.route;
    // Refused before routing: the gateway itself answered.
    const QString place = where.isEmpty() ? tr("gateway") : where.join(QStringLiteral(" · "));
    return tr("%1  %2  %3 — %4")
        .arg(timeOfDay(record.startedAt), QString::number(record.status), place, reason(record));
}

} // namespace sy::gui
