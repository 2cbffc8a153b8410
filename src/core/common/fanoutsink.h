// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <initializer_list>
#include <vector>

#include "usagesink.h"

namespace sy {

// Hands each record to several sinks (the store and the live counters, say).
class FanOutSink final : public UsageSink
{
public:
    FanOutSink(std::initializer_list<UsageSink *> sinks) : m_sinks(sinks) { }
    void record(const UsageRecord &record) override
    {
        for (UsageSink *sink : m_sinks)
            sink->record(record);
    }

private:
    std::vector<UsageSink *> m_sinks;
};

} // namespace sy
