// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "livefigures.h"

#include <algorithm>

#include "common/clock.h"
#include "common/usagerecord.h"

namespace sy::live {

namespace {

constexpr qint64 kBurnWindowSeconds = 15 * 60;

qint64 floorDiv(qint64 value, qint64 divisor)
{
    return value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor);
}

} // namespace

LiveFigures::LiveFigures() : m_seconds(kSeconds), m_minutes(kMinutes) { }

qint64 LiveFigures::nowSecond()
{
    return floorDiv(Clock::instance().nowUtc().toMSecsSinceEpoch(), 1000);
}

// The slot for a second, emptied if it held an older one; nullptr if it holds a newer one
// (the second is more than an hour old). Called with the lock held.
Figures *LiveFigures::secondSlot(qint64 second)
{
    Slot &slot = m_seconds[size_t(second % kSeconds)];
    if (slot.key > second)
        return nullptr;
    if (slot.key != second) {
        slot.key = second;
        slot.figures = Figures();
    }
    return &slot.figures;
}

Figures *LiveFigures::minuteSlot(qint64 minute)
{
    Slot &slot = m_minutes[size_t(minute % kMinutes)];
    if (slot.key > minute)
        return nullptr;
    if (slot.key != minute) {
        slot.key = minute;
        slot.figures = Figures();
    }
    return &slot.figures;
}

void LiveFigures::record(const UsageRecord &record)
{
    // The clock is read under the lock: a reader that took "now" before locking then sees
    // every request counted in an earlier second (the control channel's ticks rely on it).
    QMutexLocker lock(&m_mutex);
    const qint64 second = nowSecond();
    if (second < 0)
        return;
    if (Figures *figures = secondSlot(second))
        figures->add(record);
    if (Figures *figures = minuteSlot(second / 60))
        figures->add(record);
}

void LiveFigures::merge(qint64 epochSecond, const Figures &figures)
{
    if (epochSecond < 0 || epochSecond <= nowSecond() - kSeconds || figures.isEmpty())
        return;
    QMutexLocker lock(&m_mutex);
    if (Figures *slot = secondSlot(epochSecond))
        slot->merge(figures);
    if (Figures *slot = minuteSlot(epochSecond / 60))
        slot->merge(figures);
}

QList<Figures> LiveFigures::lastSeconds(int count) const
{
    count = std::clamp(count, 0, kSeconds);
    const qint64 now = nowSecond();
    QList<Figures> result(count);
    QMutexLocker lock(&m_mutex);
    for (int i = 0; i < count; ++i) {
        const qint64 second = now - count + i;
        if (second < 0)
            continue;
        const Slot &slot = m_seconds[size_t(second % kSeconds)];
        if (slot.key == second)
            result[i] = slot.figures;
    }
    return result;
}

QList<Figures> LiveFigures::lastMinutes(int count) const
{
    count = std::clamp(count, 0, kMinutes);
    const qint64 nowMinute = nowSecond() / 60;
    QList<Figures> result(count);
    QMutexLocker lock(&m_mutex);
    for (int i = 0; i < count; ++i) {
        const qint64 minute = nowMinute - count + 1 + i;
        if (minute < 0)
            continue;
        const Slot &slot = m_minutes[size_t(minute % kMinutes)];
        if (slot.key == minute)
            result[i] = slot.figures;
    }
    return result;
}

Figures LiveFigures::sum(int seconds) const
{
    seconds = std::clamp(seconds, 0, kSeconds);
    const qint64 now = nowSecond();
    Figures total;
    QMutexLocker lock(&m_mutex);
    // Whole minutes inside the span come from the minute ring: at most 135 merges for
    // any span, however busy the hour was.
    for (qint64 second = std::max<qint64>(0, now - seconds + 1); second <= now;) {
        if (second % 60 == 0 && second + 59 <= now) {
            const Slot &slot = m_minutes[size_t((second / 60) % kMinutes)];
            if (slot.key == second / 60)
                total.merge(slot.figures);
            second += 60;
            continue;
        }
        const Slot &slot = m_seconds[size_t(second % kSeconds)];
        if (slot.key == second)
            total.merge(slot.figures);
        ++second;
    }
    return total;
}

QList<LiveFigures::Second> LiveFigures::activeSeconds(qint64 first, qint64 last) const
{
    const qint64 now = nowSecond();
    first = std::max({first, now - kSeconds + 1, qint64(0)});
    last = std::min(last, now);
    QList<Second> result;
    QMutexLocker lock(&m_mutex);
    for (qint64 second = first; second <= last; ++second) {
        const Slot &slot = m_seconds[size_t(second % kSeconds)];
        if (slot.key == second && !slot.figures.isEmpty())
            result.append(Second {second, slot.figures});
    }
    return result;
}

qint64 LiveFigures::burnRateMicroUsdPerHour() const
{
    return sum(int(kBurnWindowSeconds)).costMicroUsd * (3600 / kBurnWindowSeconds);
}

} // namespace sy::live
