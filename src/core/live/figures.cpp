// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "figures.h"

#include "common/usagerecord.h"

namespace sy::live {

void Figures::add(const UsageRecord &record)
{
    ++requests;
    switch (record.outcome) {
    case Outcome::Rejected:
        ++rejected;
        break;
    case Outcome::UpstreamFailed:
    case Outcome::UpstreamTruncated:
        ++upstreamErrors;
        break;
    case Outcome::ClientDisconnected:
        ++clientDisconnects;
        break;
    case Outcome::Completed:
        if (record.status >= 400)
            ++upstreamErrors;
        break;
    }
    const bool usageSeen = record.inputTokens >= 0 || record.outputTokens >= 0;
    inputTokens += qMax<qint64>(0, record.inputTokens);
    outputTokens += qMax<qint64>(0, record.outputTokens);
    cachedInputTokens += qMax<qint64>(0, record.cachedInputTokens);
    cacheWriteTokens += qMax<qint64>(0, record.cacheWriteTokens);
    reasoningTokens += qMax<qint64>(0, record.reasoningTokens);
    if (record.costMicroUsd >= 0)
        costMicroUsd += record.costMicroUsd;
    else if (record.outcome != Outcome::Rejected
             && (usageSeen || (record.ttfbMs >= 0 && record.status > 0 && record.status < 400)))
        ++unpricedRequests;
    latency.add(qMax<qint64>(0, record.latencyMs));
    if (record.ttfbMs >= 0)
        ttfb.add(record.ttfbMs);
}

void Figures::merge(const Figures &other)
{
    if (other.requests == 0)
        return;
    requests += other.requests;
    rejected += other.rejected;
    upstreamErrors += other.upstreamErrors;
    clientDisconnects += other.clientDisconnects;
    inputTokens += other.inputTokens;
    outputTokens += other.outputTokens;
    cachedInputTokens += other.cachedInputTokens;
    cacheWriteTokens += other.cacheWriteTokens;
    reasoningTokens += other.reasoningTokens;
    costMicroUsd += other.costMicroUsd;
    unpricedRequests += other.unpricedRequests;
    latency.merge(other.latency);
    ttfb.merge(other.ttfb);
}

} // namespace sy::live
