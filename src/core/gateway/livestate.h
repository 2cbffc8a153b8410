// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <memory>

#include "gatewaystate.h"

namespace sy::gateway {

// The current GatewayState, shared by all gateway threads. Readers take a snapshot per
// request; a reload swaps in a new state without stopping requests in flight.
class LiveState
{
public:
    explicit LiveState(std::shared_ptr<const GatewayState> state) : m_state(std::move(state)) { }

    std::shared_ptr<const GatewayState> snapshot() const { return m_state.load(std::memory_order_acquire); }
    void replace(std::shared_ptr<const GatewayState> state)
    {
        m_state.store(std::move(state), std::memory_order_release);
    }

private:
    std::atomic<std::shared_ptr<const GatewayState>> m_state;
};

} // namespace sy::gateway
