// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include "common/result.h"
#include "translate/translation.h"

namespace sy::translate {

// An Anthropic Messages request rebuilt as an OpenAI chat completions request (the Claude
// Code case). The body is rebuilt anyway, so this side uses QJsonDocument.
//
//  system (string or text blocks)        -> one leading system message
//  user text / image (base64, url)       -> user message (string, or content parts)
//  assistant text + tool_use             -> assistant message with content and tool_calls
//  tool_result (string or blocks,        -> one tool message each, first in the turn; an
//    is_error)                              error result's text starts with "Error: ";
//                                           its images go to a user message right after
//  thinking / redacted_thinking history  -> dropped (an OpenAI model cannot use another
//                                           model's reasoning; unsigned ones came from us)
//  tools                                 -> function tools (names shortened to fit, see
//                                           ToolNameMap); offered tools with no schema
//                                           (server tools) are left out
//  tool_choice auto/any/tool/none        -> "auto"/"required"/{function}/"none";
//    disable_parallel_tool_use           -> parallel_tool_calls: false
//  stop_sequences                        -> stop
//  max_tokens                            -> max_completion_tokens (OpenAI itself, whose
//                                           newer models refuse max_tokens) or max_tokens
//  temperature, top_p                    -> the same
//  metadata.user_id                      -> user (SHA-256 hex when over 64 characters)
//  stream                                -> stream + stream_options.include_usage, always
// A part whose meaning cannot be carried (a document block, another server tool's
// result in the history) fails the request with a message naming it, never silently.
class AnthropicToOpenAIRequest
{
public:
    struct Options
    {
        QString upstreamModel;
        QByteArray clientModel;
        bool maxCompletionTokens = false; // send max_tokens as max_completion_tokens
    };

    struct Output
    {
        QByteArray body;
        std::shared_ptr<const Translation> translation;
    };

    static Result<Output> map(QByteArrayView anthropicBody, const Options &options);
};

} // namespace sy::translate
