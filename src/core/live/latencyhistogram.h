// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <array>

#include <QtGlobal>

namespace sy::live {

// Durations in fixed logarithmic buckets (1 ms to about 20 min, about 12 % wide), so
// seconds can be summed into minutes and p50/p95 read from the sum without keeping
// every sample. Fixed size: adding never allocates.
//
// Bucket 0 holds 0..1 ms; bucket i holds (upperBoundMs(i - 1), upperBoundMs(i)]. Bounds
// grow one millisecond at a time up to about 30 ms, then by 12.5 % each; the last bucket
// also holds everything longer than its bound.
class LatencyHistogram
{
public:
    void add(qint64 ms);
    void merge(const LatencyHistogram &other);
    qint64 count() const { return m_count; }
    // The upper bound of the bucket holding the p-th fraction (0..1) of the samples, in
    // ms; -1 when there are none.
    qint64 percentile(double p) const;

    static constexpr int kBuckets = 120;
    static qint64 upperBoundMs(int bucket);
    static int bucketOf(qint64 ms);
    // Raw access, for carrying a histogram over the control channel.
    quint32 bucketCount(int bucket) const { return m_counts[bucket]; }
    void addToBucket(int bucket, quint32 samples);

    friend bool operator==(const LatencyHistogram &, const LatencyHistogram &) = default;

private:
    std::array<quint32, kBuckets> m_counts {};
    qint64 m_count = 0;
};

} // namespace sy::live
