// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "recentrequests.h"

#include <algorithm>

namespace sy::live {

RecentRequests::RecentRequests(int capacity, QObject *parent)
    : QObject(parent), m_capacity(std::max(1, capacity)), m_records(m_capacity)
{ }

void RecentRequests::record(const UsageRecord &record)
{
    {
        QMutexLocker lock(&m_mutex);
        m_records[qsizetype(m_total % quint64(m_capacity))] = record;
        ++m_total;
    }
    emit recorded(record);
}

QList<UsageRecord> RecentRequests::newestLocked(qint64 count) const
{
    count = std::clamp<qint64>(count, 0, qint64(std::min<quint64>(m_total, quint64(m_capacity))));
    QList<UsageRecord> result;
    result.reserve(count);
    for (qint64 i = 0; i < count; ++i)
        result.append(m_records.at(qsizetype((m_total - 1 - quint64(i)) % quint64(m_capacity))));
    return result;
}

QList<UsageRecord> RecentRequests::latest(int count) const
{
    QMutexLocker lock(&m_mutex);
    return newestLocked(count);
}

quint64 RecentRequests::sequence() const
{
    QMutexLocker lock(&m_mutex);
    return m_total;
}

QList<UsageRecord> RecentRequests::since(quint64 after, quint64 *latest) const
{
    QMutexLocker lock(&m_mutex);
    if (latest)
        *latest = m_total;
    return after >= m_total ? QList<UsageRecord>() : newestLocked(qint64(m_total - after));
}

} // namespace sy::live
