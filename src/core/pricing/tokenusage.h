// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

namespace sy::pricing {

// How a provider reports cached input. The two conventions are the most common source of
// wrong costs in other gateways, so the caller must say which one its numbers follow.
enum class CacheConvention {
    // OpenAI (and OpenAI-compatible APIs): prompt_tokens INCLUDES the cached tokens
    // (prompt_tokens_details.cached_tokens); the uncached part is input - cachedInput.
    InputIncludesCached,
    // Anthropic: input_tokens EXCLUDES cache reads (cache_read_input_tokens) and cache
    // writes (cache_creation_input_tokens); the three are billed separately.
    InputExcludesCached,
};

// The token counts of one finished request, as the provider reported them.
struct TokenUsage
{
    qint64 input = -1; // -1: unknown
    qint64 output = -1; // includes reasoning tokens for both OpenAI and Anthropic
    qint64 cachedInput = 0; // cache reads
    qint64 cacheWrite = 0; // Anthropic cache creation
};

} // namespace sy::pricing
