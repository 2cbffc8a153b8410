// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "calendar.h"

#include <QMutex>

namespace sy {

namespace {

QMutex g_zoneMutex;
QTimeZone g_zone; // invalid: the system's

} // namespace

QTimeZone Calendar::zone()
{
    {
        QMutexLocker lock(&g_zoneMutex);
        if (g_zone.isValid())
            return g_zone;
    }
    return QTimeZone::systemTimeZone();
}

void Calendar::setZone(const QTimeZone &zone)
{
    QMutexLocker lock(&g_zoneMutex);
    g_zone = zone;
}

QDate Calendar::dateOf(const QDateTime &instant, const QTimeZone &zone)
{
    return instant.toTimeZone(zone).date();
}

QDateTime Calendar::startOfDay(const QDateTime &instant, const QTimeZone &zone)
{
    return dateOf(instant, zone).startOfDay(zone).toUTC();
}

QDateTime Calendar::startOfNextDay(const QDateTime &instant, const QTimeZone &zone)
{
    return dateOf(instant, zone).addDays(1).startOfDay(zone).toUTC();
}

QDateTime Calendar::startOfMonth(const QDateTime &instant, const QTimeZone &zone)
{
    const QDate date = dateOf(instant, zone);
    return QDate(date.year(), date.month(), 1).startOfDay(zone).toUTC();
}

} // namespace sy
