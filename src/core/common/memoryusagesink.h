// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QMutex>
#include <QObject>

#include "usagerecord.h"
#include "usagesink.h"

namespace sy {

// Keeps records in memory and announces each one: for tests and for live stats.
class MemoryUsageSink final : public QObject, public UsageSink
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemoryUsageSink)

public:
    explicit MemoryUsageSink(QObject *parent = nullptr);

    void record(const UsageRecord &record) override;
    QList<UsageRecord> records() const;
    void clear();

signals:
    void recorded(const sy::UsageRecord &record); // emitted on the recording thread

private:
    mutable QMutex m_mutex;
    QList<UsageRecord> m_records;
};

} // namespace sy
