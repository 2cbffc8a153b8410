// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <optional>

#include <QtGlobal>

namespace sy::limits {

// A bucket that holds up to one minute's allowance and refills continuously. Not
// thread-safe: RateLimiter guards it.
class TokenBucket
{
public:
    TokenBucket(qint64 perMinute, qint64 nowMs);

    // Takes n if the bucket holds them (or is full, for a request larger than a whole
    // minute's allowance); otherwise takes nothing and says how many ms until it could.
    std::optional<qint64> take(qint64 n, qint64 nowMs);
    bool canTake(qint64 n, qint64 nowMs);
    // Gives tokens back (positive) or takes more (negative; the level may go below zero,
    // so later requests wait): for corrections once real usage is known.
    void adjust(qint64 delta, qint64 nowMs);
    double level(qint64 nowMs);
    // How long until n could be taken (0: now), without taking anything.
    qint64 waitFor(qint64 n, qint64 nowMs);

private:
    void refill(qint64 nowMs);
    qint64 waitMs(qint64 n) const;

    double m_capacity;
    double m_perMs;
    double m_tokens;
    qint64 m_lastMs;
};

} // namespace sy::limits
