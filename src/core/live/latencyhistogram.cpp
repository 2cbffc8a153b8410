// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "latencyhistogram.h"

#include <algorithm>
#include <cmath>

namespace sy::live {

namespace {

// Whole milliseconds, so tests and the window can name a bound exactly.
constexpr std::array<qint64, LatencyHistogram::kBuckets> makeBounds()
{
    std::array<qint64, LatencyHistogram::kBuckets> bounds {};
    double growth = 1;
    bounds[0] = 1;
    for (int i = 1; i < LatencyHistogram::kBuckets; ++i) {
        growth *= 1.125;
        bounds[i] = std::max(bounds[i - 1] + 1, qint64(growth));
    }
    return bounds;
}

constexpr std::array<qint64, LatencyHistogram::kBuckets> kBounds = makeBounds();
static_assert(kBounds[LatencyHistogram::kBuckets - 1] > 15 * 60 * 1000, "the buckets must reach past 15 minutes");

} // namespace

qint64 LatencyHistogram::upperBoundMs(int bucket)
{
    return kBounds[std::clamp(bucket, 0, kBuckets - 1)];
}

int LatencyHistogram::bucketOf(qint64 ms)
{
    const auto it = std::lower_bound(kBounds.begin(), kBounds.end() - 1, ms);
    return int(it - kBounds.begin());
}

void LatencyHistogram::add(qint64 ms)
{
    ++m_counts[bucketOf(ms)];
    ++m_count;
}

void LatencyHistogram::addToBucket(int bucket, quint32 samples)
{
    if (bucket < 0 || bucket >= kBuckets)
        return;
    m_counts[bucket] += samples;
    m_count += samples;
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    if (other.m_count == 0)
        return;
    for (int i = 0; i < kBuckets; ++i)
        m_counts[i] += other.m_counts[i];
    m_count += other.m_count;
}

qint64 LatencyHistogram::percentile(double p) const
{
    if (m_count == 0)
        return -1;
    // The rank of the sample that marks the fraction: p50 of 4 samples is the 2nd. The
    // epsilon keeps 0.95 * 20 (19.000000000000004 in doubles) at rank 19.
    const double exact = std::clamp(p, 0.0, 1.0) * double(m_count);
    const qint64 rank = std::clamp<qint64>(qint64(std::ceil(exact - 1e-9)), 1, m_count);
    qint64 seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
        seen += m_counts[i];
        if (seen >= rank)
            return kBounds[i];
    }
    return kBounds[kBuckets - 1];
}

} // namespace sy::live
