// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "memoryusagesink.h"

namespace sy {

MemoryUsageSink::MemoryUsageSink(QObject *parent) : QObject(parent) { }

void MemoryUsageSink::record(const UsageRecord &record)
{
    {
        QMutexLocker lock(&m_mutex);
        m_records.append(record);
    }
    emit recorded(record);
}

QList<UsageRecord> MemoryUsageSink::records() const
{
    QMutexLocker lock(&m_mutex);
    return m_records;
}

void MemoryUsageSink::clear()
{
    QMutexLocker lock(&m_mutex);
    m_records.clear();
}

} // namespace sy
