// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

namespace sy::providers {

// Token counts of one response, as the provider reported them. -1: not reported.
//
// The providers count cached input differently, and the numbers are kept as reported:
//  - OpenAI (chat/completions, completions, responses): `input` INCLUDES the cached
//    tokens; `cachedInput` is the cached subset of `input`. `cacheWrite` is always 0.
//  - Anthropic (messages): `input` EXCLUDES cache reads and writes; `cachedInput`
//    (cache_read_input_tokens) and `cacheWrite` (cache_creation_input_tokens) come on
//    top of it. Thinking tokens are part of `output`; Anthropic reports no separate
//    reasoning count, so `reasoning` stays 0.
//  - Embeddings and count_tokens: `output` is 0.
// `reasoning` (OpenAI reasoning_tokens) is a subset of `output`.
struct TokenUsage
{
    qint64 input = -1;
    qint64 output = -1;
    qint64 cachedInput = 0;
    qint64 cacheWrite = 0;
    qint64 reasoning = 0;

    bool known() const { return input >= 0 || output >= 0; }
};

} // namespace sy::providers
