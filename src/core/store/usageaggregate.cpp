// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "usageaggregate.h"

#include "common/usagerecord.h"

namespace sy::store {

void UsageAggregate::add(const UsageRecord &r)
{
    ++requests;
    errors += (r.status >= 400 || r.outcome != Outcome::Completed) ? 1 : 0;
    inputTokens += qMax<qint64>(0, r.inputTokens);
    outputTokens += qMax<qint64>(0, r.outputTokens);
    cachedInputTokens += qMax<qint64>(0, r.cachedInputTokens);
    cacheWriteTokens += qMax<qint64>(0, r.cacheWriteTokens);
    reasoningTokens += qMax<qint64>(0, r.reasoningTokens);
    if (r.costMicroUsd >= 0) {
        costMicroUsd += r.costMicroUsd;
    } else {
        ++unknownCostRequests;
        if (r.outcome != Outcome::Rejected
            && (r.inputTokens >= 0 || r.outputTokens >= 0 || (r.ttfbMs >= 0 && r.status > 0 && r.status < 400)))
            ++unpricedRequests;
    }
    latencyMsSum += r.latencyMs;
}

void UsageAggregate::merge(const UsageAggregate &o)
{
    requests += o.requests;
    errors += o.errors;
    inputTokens += o.inputTokens;
    outputTokens += o.outputTokens;
    cachedInputTokens += o.cachedInputTokens;
    cacheWriteTokens += o.cacheWriteTokens;
    reasoningTokens += o.reasoningTokens;
    costMicroUsd += o.costMicroUsd;
    unknownCostRequests += o.unknownCostRequests;
    unpricedRequests += o.unpricedRequests;
    latencyMsSum += o.latencyMsSum;
}

} // namespace sy::store
