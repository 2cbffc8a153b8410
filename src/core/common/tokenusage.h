// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

namespace sy {

// How a provider reports cached input. The two conventions are the most common source of
// wrong costs in other gateways, so whoever prices usage must say which one it follows.
enum class CacheConvention {
    // OpenAI (and OpenAI-compatible APIs): prompt_tokens INCLUDES the cached tokens
    // (prompt_tokens_details.cached_tokens) and the cache writes (cache_write_tokens); the
    // uncached part is input - cachedInput - cacheWrite.
    InputIncludesCached,
    // Anthropic: input_tokens EXCLUDES cache reads (cache_read_input_tokens) and cache
    // writes (cache_creation_input_tokens); the three are billed separately.
    InputExcludesCached,
};

// Token counts of one response, as the provider reported them: read from the response by
// the usage tap, priced by the price book, stored in the usage row. -1: not reported.
//  - OpenAI (chat/completions, completions, responses): `input` INCLUDES the cached
//    tokens; `cachedInput` (cached_tokens) is the cached subset of `input`, and so is
//    `cacheWrite` (cache_write_tokens, billed from GPT-5.6 on).
//  - Anthropic (messages): `input` EXCLUDES cache reads and writes; `cachedInput`
//    (cache_read_input_tokens) and `cacheWrite` (cache_creation_input_tokens) come on top
//    of it. `cacheWrite1h` is the part of `cacheWrite` written with the 1-hour TTL
//    (cache_creation.ephemeral_1h_input_tokens), billed at a higher rate. Thinking tokens
//    are part of `output`.
//  - Embeddings and count_tokens: `output` is 0.
// `reasoning` (OpenAI reasoning_tokens) is a subset of `output`.
struct TokenUsage
{
    qint64 input = -1;
    qint64 output = -1;
    qint64 cachedInput = 0;
    qint64 cacheWrite = 0;
    qint64 reasoning = 0;
    qint64 cacheWrite1h = 0;

    bool known() const { return input >= 0 || output >= 0; }

    // Every token of the prompt, cached or not: what long-prompt price tiers are measured by.
    qint64 promptTokens(CacheConvention convention) const
    {
        const qint64 reported = qMax<qint64>(0, input);
        if (convention == CacheConvention::InputIncludesCached)
            return reported;
        return reported + qMax<qint64>(0, cachedInput) + qMax<qint64>(0, cacheWrite);
    }
};

} // namespace sy
