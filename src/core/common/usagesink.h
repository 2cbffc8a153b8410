// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

namespace sy {

struct UsageRecord;

// Where finished requests go. Called from gateway threads, so implementations must be
// thread-safe and must not block (no disk or network work on the caller's thread).
class UsageSink
{
public:
    virtual ~UsageSink() = default;
    virtual void record(const UsageRecord &record) = 0;
};

} // namespace sy
