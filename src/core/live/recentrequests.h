// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QMutex>
#include <QObject>

#include "common/usagerecord.h"
#include "common/usagesink.h"

namespace sy::live {

// The latest finished requests' metadata, newest first, capped in memory: the requests
// page's live rows. Older ones are paged in from the database.
class RecentRequests final : public QObject, public UsageSink
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecentRequests)

public:
    static constexpr int kDefaultCapacity = 2000;

    explicit RecentRequests(int capacity = kDefaultCapacity, QObject *parent = nullptr);

    void record(const UsageRecord &record) override; // any thread
    QList<UsageRecord> latest(int count) const; // newest first
    int capacity() const { return m_capacity; }

signals:
    // Emitted on the recording thread: connect with a context object (queued).
    void recorded(const sy::UsageRecord &record);

private:
    const int m_capacity;
    mutable QMutex m_mutex;
    QList<UsageRecord> m_records; // oldest first, at most m_capacity
};

} // namespace sy::live
