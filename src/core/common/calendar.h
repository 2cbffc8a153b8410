// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <optional>

#include <QDateTime>
#include <QList>
#include <QTimeZone>

namespace sy {

// The one calendar: where days and months begin for "today", budgets, the tray, the
// dashboard and `switchyard status`. The user's time zone unless a setting chooses another
// (UTC). Exact in zones with half-hour offsets and across daylight-saving changes, because
// it asks the time zone rather than adding offsets.
class Calendar
{
public:
    // The zone in force: the system's, unless setZone() chose one. Any thread.
    static QTimeZone zone();
    static void setZone(const QTimeZone &zone); // an invalid zone restores the system's
    // Counts setZone() calls: a cache of period boundaries is stale when it moved.
    static quint64 generation();

    // The "time_zone" setting: "local" (the system's zone: an invalid QTimeZone), "UTC" or
    // an IANA name ("Asia/Kolkata"). nullopt: not a zone this system knows.
    static std::optional<QTimeZone> zoneFromSetting(const QString &setting);
    static QString settingOf(const QTimeZone &zone); // "local" for an invalid zone

    // The instant (UTC) the day holding `instant` began in `zone`. A day whose midnight
    // does not exist (a DST jump at 00:00) begins at the first instant it has.
    static QDateTime startOfDay(const QDateTime &instant, const QTimeZone &zone);
    static QDateTime startOfDay(const QDateTime &instant) { return startOfDay(instant, Calendar::zone()); }
    // The instant (UTC) the next day begins: the end of "today" for a day that may be 23
    // or 25 hours long.
    static QDateTime startOfNextDay(const QDateTime &instant, const QTimeZone &zone);
    static QDateTime startOfMonth(const QDateTime &instant, const QTimeZone &zone);
    // The instants (UTC) each day that begins in [from, to) begins, in order.
    static QList<QDateTime> dayStarts(const QDateTime &from, const QDateTime &to, const QTimeZone &zone);
    // The calendar date of `instant` in `zone`.
    static QDate dateOf(const QDateTime &instant, const QTimeZone &zone);
};

} // namespace sy
