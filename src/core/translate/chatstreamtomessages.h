// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QStringView>

#include "providers/sseparser.h"
#include "translate/jsonview.h"
#include "translate/translation.h"

namespace sy::translate {

// Re-emits an OpenAI chat completions stream as Anthropic Messages events, chunk by chunk
// as the upstream sends them (nothing waits for the end of the answer):
//   first chunk        -> message_start (usage: the request's estimate, never 0)
//   delta.reasoning_content / reasoning -> a thinking block (no signature: none is made up)
//   delta.content      -> a text block (never an empty one)
//   delta.tool_calls   -> one tool_use block per call, arguments as input_json_delta
//   usage chunk, [DONE] or the end -> content_block_stop, message_delta (stop reason,
//                                     the provider's counts), message_stop
// Anthropic streams one block at a time while OpenAI may interleave parallel calls, so a
// later call's fragments are held (as they came) until the earlier call's block closes:
// when its arguments form a whole JSON value, or at the end. Every delta falls inside its
// own open block and every block is closed.
//
// Cached tokens: OpenAI counts them inside prompt_tokens, Anthropic apart, so
// input_tokens = prompt_tokens - cached - cache writes.
class ChatStreamToMessages
{
public:
    explicit ChatStreamToMessages(std::shared_ptr<const Translation> translation);
    ~ChatStreamToMessages();

    // Upstream body bytes, split anywhere; `out` receives complete Anthropic SSE events.
    void feed(QByteArrayView bytes, QByteArray &out);
    // The upstream body ended. True: the answer is whole and `out` ends it. False: it
    // stopped before a finish reason; `out` carries an `error` event and the caller must
    // break the connection rather than end it cleanly.
    bool finish(QByteArray &out);
    // The upstream failed mid-stream: an `error` event, then the caller breaks the connection.
    void fail(QByteArray &out, QStringView message);
    bool ended() const { return m_ended; }

private:
    enum class Block { None, Text, Thinking, Tool };
    struct ToolCall;

    void onEvent(QByteArrayView data, QByteArray &out);
    void onChunk(const JsonView &chunk, QByteArray &out);
    void onToolFragment(const JsonView &fragment, qsizetype position, QByteArray &out);
    void startMessage(const JsonView &chunk, QByteArray &out);
    void openBlock(Block kind, QByteArray &out);
    void openTool(qsizetype tool, QByteArray &out);
    void closeBlock(QByteArray &out);
    void openNextHeld(QByteArray &out);
    bool anyHeld() const;
    void emitToolDelta(ToolCall &tool, QByteArrayView innerJson, QByteArray &out);
    void end(QByteArray &out);

    std::shared_ptr<const Translation> m_translation;
    providers::SseParser m_parser;
    QList<providers::SseEvent> m_events;
    QList<ToolCall> m_tools; // in the order they first appeared
    Block m_open = Block::None;
    qsizetype m_openTool = -1;
    int m_nextIndex = 0; // the next content block's index
    bool m_started = false;
    bool m_ended = false;
    bool m_toolEmitted = false;
    QByteArray m_finish; // finish_reason
    QByteArray m_matchedStop; // the raw stop_reason token, where the provider names it
    qint64 m_outputBytes = 0; // for an output estimate when the provider reports no usage
    qint64 m_promptTokens = -1;
    qint64 m_completionTokens = -1;
    qint64 m_cachedTokens = 0;
    qint64 m_cacheWriteTokens = 0;
};

} // namespace sy::translate
