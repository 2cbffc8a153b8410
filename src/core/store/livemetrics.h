// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>

#include "common/usagesink.h"

namespace sy::store {

// In-memory counters since start, for GET /metrics (Prometheus text format 0.0.4):
// requests by provider, model and status; token and cost counters by provider and model;
// request duration and time-to-first-byte histograms by provider. record() takes a short
// lock and does no I/O, so gateway threads can call it directly.
class LiveMetrics final : public UsageSink
{
public:
    LiveMetrics();
    ~LiveMetrics() override;

    void record(const UsageRecord &record) override;
    QByteArray prometheusText() const;

    // Upper bounds in seconds; +Inf is implied.
    static constexpr double kBuckets[] = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
    static constexpr int kBucketCount = int(sizeof(kBuckets) / sizeof(kBuckets[0]));

private:
    struct ModelCounters
    {
        QHash<int, qint64> requestsByStatus;
        qint64 inputTokens = 0;
        qint64 outputTokens = 0;
        qint64 cachedInputTokens = 0;
        qint64 cacheWriteTokens = 0;
        qint64 costMicroUsd = 0;
        qint64 unknownCostRequests = 0;
    };
    struct Histogram
    {
        qint64 counts[kBucketCount + 1] = {}; // per bucket, not cumulative; last is +Inf
        qint64 count = 0;
        qint64 sumMs = 0;
        void add(qint64 ms);
    };

    mutable QMutex m_mutex;
    QHash<QString, QHash<QString, ModelCounters>> m_models; // provider → model
    QHash<QString, Histogram> m_duration; // by provider
    QHash<QString, Histogram> m_ttfb;
};

} // namespace sy::store
