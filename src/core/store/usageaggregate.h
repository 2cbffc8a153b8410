// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QString>

namespace sy {
struct UsageRecord;
}

namespace sy::store {

// One bucket (hour or day, or a whole range for UsageQuery::totals) of usage for one
// client/provider/model, as the dashboard shows it. A dimension that was not grouped by is
// empty. Token sums count only the known counts.
struct UsageAggregate
{
    QDateTime bucketStart; // UTC
    QString client;
    QString provider;
    QString model;
    qint64 requests = 0;
    qint64 errors = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 cachedInputTokens = 0;
    qint64 cacheWriteTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 costMicroUsd = 0; // of the requests whose cost is known
    qint64 unknownCostRequests = 0; // cost NULL: unpriced, refused or failed
    // Answered by a provider but without a known cost (Schema::unpricedCondition, the live
    // figures' rule): shown as "unpriced", never as $0.
    qint64 unpricedRequests = 0;
    qint64 latencyMsSum = 0;

    // Counts one request as the rollups do (StoreWriter, Schema::unpricedCondition).
    void add(const UsageRecord &record);
    void merge(const UsageAggregate &other); // sums only; the labels stay
};

} // namespace sy::store
