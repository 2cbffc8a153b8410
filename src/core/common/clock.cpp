// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "clock.h"

#include <atomic>

namespace sy {

namespace {
const SystemClock kSystemClock;
std::atomic<const Clock *> g_clock {&kSystemClock};
} // namespace

const Clock &Clock::instance()
{
    return *g_clock.load(std::memory_order_acquire);
}

void Clock::setInstance(const Clock *clock)
{
    g_clock.store(clock ? clock : &kSystemClock, std::memory_order_release);
}

} // namespace sy
