// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include "translate/jsonview.h"
#include "translate/translation.h"

namespace sy::translate {

// An Anthropic stop reason (and stop sequence) for an OpenAI finish.
struct StopReason
{
    QByteArray reason; // end_turn, max_tokens, stop_sequence, tool_use, refusal
    QByteArray sequence; // the matched stop sequence (UTF-8); empty: null

    // `finish` is finish_reason; `matched` is the choice's stop_reason where the provider
    // names the stop string that matched (vLLM, SGLang); `toolCalled`: a tool call was
    // returned, whatever finish_reason says (some providers answer "stop").
    static StopReason fromOpenAI(QByteArrayView finish, const JsonView &matched, bool toolCalled,
                                 const Translation &translation);
};

} // namespace sy::translate
