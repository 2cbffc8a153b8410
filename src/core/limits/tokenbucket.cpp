// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "tokenbucket.h"

#include <algorithm>
#include <cmath>

namespace sy::limits {

TokenBucket::TokenBucket(qint64 perMinute, qint64 nowMs)
    : m_capacity(double(perMinute)), m_perMs(double(perMinute) / 60'000.0), m_tokens(double(perMinute)), m_lastMs(nowMs)
{ }

void TokenBucket::refill(qint64 nowMs)
{
    if (nowMs > m_lastMs) {
        m_tokens = std::min(m_capacity, m_tokens + double(nowMs - m_lastMs) * m_perMs);
        m_lastMs = nowMs;
    }
}

qint64 TokenBucket::waitMs(qint64 n) const
{
    const double needed = std::min(double(n), m_capacity) - m_tokens;
    return needed <= 0 ? 0 : qint64(std::ceil(needed / m_perMs));
}

bool TokenBucket::canTake(qint64 n, qint64 nowMs)
{
    refill(nowMs);
    return waitMs(n) == 0;
}

std::optional<qint64> TokenBucket::take(qint64 n, qint64 nowMs)
{
    refill(nowMs);
    if (const qint64 wait = waitMs(n); wait > 0)
        return wait;
    m_tokens -= double(n);
    return std::nullopt;
}

void TokenBucket::adjust(qint64 delta, qint64 nowMs)
{
    refill(nowMs);
    m_tokens = std::min(m_capacity, m_tokens + double(delta));
}

double TokenBucket::level(qint64 nowMs)
{
    refill(nowMs);
    return m_tokens;
}

qint64 TokenBucket::waitFor(qint64 n, qint64 nowMs)
{
    refill(nowMs);
    return waitMs(n);
}

} // namespace sy::limits
