// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include "common/usagerecord.h"

namespace sy::gui {

// The one place where the window turns numbers into text: money, tokens, durations, times
// and the short content-free reason a request failed, in the user's locale. Pages, the
// tray and the screenshots all go through it, so the same figure reads the same everywhere.
class Format
{
    Q_DECLARE_TR_FUNCTIONS(Format)

public:
    // US dollars from integer micro-dollars: more decimals below a dollar, so a cheap
    // request does not read as $0.00. -1 (unknown) is a dash, never $0.
    static QString money(qint64 microUsd);
    static QString moneyPerHour(qint64 microUsdPerHour);
    static QString count(qint64 value); // with the locale's group separators
    static QString tokens(qint64 tokens); // full count; -1 (not reported) is a dash
    static QString tokensCompact(qint64 tokens); // 1.2 k, 3.4 M for figures and axes
    static QString duration(qint64 ms); // 840 ms, 1.25 s, 2 min 5 s; -1 is a dash
    static QString timeOfDay(const QDateTime &at); // local time with seconds
    static QString dateTime(const QDateTime &at); // local date and time with seconds
    static QString outcome(Outcome outcome);
    // Whether a request counts as an error (the same rule as the live figures: the gateway
    // or the provider answered 4xx/5xx, or the request did not complete).
    static bool isError(const UsageRecord &record);
    // Why a request failed, in a few words, from its status and outcome only.
    static QString reason(const UsageRecord &record);
    // "14:02:11  429  openai · gpt-4o-mini — rate limited by the provider"
    static QString errorLine(const UsageRecord &record);
    static QString dash() { return QStringLiteral("—"); }
};

} // namespace sy::gui
