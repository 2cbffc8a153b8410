// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include "common/result.h"
#include "translate/translation.h"

namespace sy::translate {

// A whole (non-streamed) OpenAI chat completion as an Anthropic message: reasoning
// (reasoning_content or reasoning) as a thinking block without a signature, then the
// text (no empty block), then one tool_use block per tool call with its arguments parsed
// into `input` and its name restored; the stop reason mapped (tool_use whenever a call is
// returned); usage with cached tokens taken out of input_tokens into
// cache_read_input_tokens (and cache writes into cache_creation_input_tokens).
class ChatCompletionToMessage
{
public:
    static Result<QByteArray> map(QByteArrayView openAiBody, const Translation &translation);
};

} // namespace sy::translate
