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
// page's live rows. Older ones are paged in from the database. record() copies the record
// into a fixed ring (its strings are shared, not copied), so it never waits on a reader.
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
    // How many requests were ever recorded: record n (1-based) has sequence number n.
    quint64 sequence() const;
    // The records after sequence number `after` still held, newest first; `*latest` gets
    // the sequence number of the newest. Lets a poller (the control channel) pick up new
    // rows without a signal per request.
    QList<UsageRecord> since(quint64 after, quint64 *latest) const;

signals:
    // Emitted on the recording thread: connect with a context object (queued).
    void recorded(const sy::UsageRecord &record);

private:
    QList<UsageRecord> newestLocked(qint64 count) const;

    const int m_capacity;
    mutable QMutex m_mutex;
    QList<UsageRecord> m_records; // a ring of m_capacity slots; the newest is at (m_total - 1) % m_capacity
    quint64 m_total = 0;
};

} // namespace sy::live
