// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace sy {

// Why a request ended. Stored with the metadata so the user can tell a cut-off answer
// from a complete one.
enum class Outcome {
    Completed, // the response reached the client whole
    ClientDisconnected, // the client went away; the upstream call was aborted
    UpstreamFailed, // connect error, reset or timeout before the first byte (gateway answered 502/504)
    UpstreamTruncated, // the upstream died mid-response; the client saw a truncated response
    Rejected, // the gateway answered itself (auth, bad request, unknown model, limits)
};

// The metadata of one finished request: everything Switchyard keeps about it.
// No content, no header values, no keys, no IP address: adding a field here is a
// privacy decision (docs/PRIVACY.md).
struct UsageRecord
{
    QDateTime startedAt; // UTC
    QString client; // client key name; empty when client keys are not required
    QString provider; // provider id from the config; empty when rejected before routing
    QString model; // the upstream model name; refused before routing: the model asked for
    QString route; // the route or alias the client asked for, when one was used
    QString endpoint; // e.g. "/v1/chat/completions" (path only, never the query)
    int status = 0; // HTTP status the client received
    bool streamed = false;
    Outcome outcome = Outcome::Completed;
    qint64 latencyMs = 0; // request received to response end
    qint64 ttfbMs = -1; // request received to first response byte from upstream; -1 if none
    // Token counts: -1 is unknown (no usage seen: refused, failed, cut off before it),
    // stored as NULL and exported empty, never as 0. Sums skip unknowns.
    qint64 inputTokens = -1;
    qint64 outputTokens = -1;
    qint64 cachedInputTokens = -1; // cache reads
    qint64 cacheWriteTokens = -1; // cache writes (Anthropic cache creation, OpenAI cache_write_tokens)
    qint64 reasoningTokens = -1;
    qint64 costMicroUsd = -1; // integer micro-dollars; -1: unknown (no price for the model, or no usage)
    QString priceBookVersion; // the price book the cost was computed with
    int attempts = 1;
};

} // namespace sy

Q_DECLARE_METATYPE(sy::UsageRecord)
