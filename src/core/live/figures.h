// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

#include "latencyhistogram.h"

namespace sy {
struct UsageRecord;
}

namespace sy::live {

// What the requests that ended within a span (one second, or a sum of seconds) add up
// to. Metadata only, like UsageRecord.
struct Figures
{
    qint64 requests = 0;
    // Errors by class; a request counts in at most one. `errors()` is their sum.
    qint64 rejected = 0; // the gateway answered itself: auth, bad request, limits, budgets, paused
    qint64 upstreamErrors = 0; // the provider answered 4xx/5xx, or failed or cut off
    qint64 clientDisconnects = 0; // the client left before the end
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 cachedInputTokens = 0;
    qint64 cacheWriteTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 costMicroUsd = 0; // of the priced requests
    // Answered by a provider (with usage, or a successful response) but without a known
    // cost: shown as unpriced, never as $0. Rejected requests and provider errors cost
    // nothing and are not counted here.
    qint64 unpricedRequests = 0;
    LatencyHistogram latency; // request received to response end
    LatencyHistogram ttfb; // request received to the first upstream byte (requests that had one)

    qint64 errors() const { return rejected + upstreamErrors + clientDisconnects; }
    bool isEmpty() const { return requests == 0; }
    void add(const UsageRecord &record);
    void merge(const Figures &other);

    friend bool operator==(const Figures &, const Figures &) = default;
};

} // namespace sy::live
