// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "calendar.h"

#include <atomic>

#include <QMutex>

namespace sy {

namespace {

QMutex g_zoneMutex;
QTimeZone g_zone; // invalid: the system's
std::atomic<quint64> g_generation {0};

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
    ++g_generation;
}

quint64 Calendar::generation()
{
    return g_generation.load();
}

std::optional<QTimeZone> Calendar::zoneFromSetting(const QString &setting)
{
    if (setting == u"local")
        return QTimeZone();
    if (setting == u"UTC")
        return QTimeZone::utc();
    const QByteArray id = setting.toUtf8();
    // Names the system's zone database knows, and Qt's fixed offsets ("UTC+05:30").
    if (id.isEmpty() || !QTimeZone::isTimeZoneIdAvailable(id))
        return std::nullopt;
    QTimeZone zone(id);
    if (!zone.isValid())
        return std::nullopt;
    return zone;
}

QString Calendar::settingOf(const QTimeZone &zone)
{
    return zone.isValid() ? QString::fromUtf8(zone.id()) : QStringLiteral("local");
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

QList<QDateTime> Calendar::dayStarts(const QDateTime &from, const QDateTime &to, const QTimeZone &zone)
{
    QList<QDateTime> starts;
    QDateTime day = startOfDay(from, zone);
    if (day < from)
        day = startOfNextDay(from, zone);
    for (; day < to; day = startOfNextDay(day, zone))
        starts.append(day);
    return starts;
}

} // namespace sy
