// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include "common/tokenusage.h"
#include "providers/endpoint.h"
#include "providers/sseevent.h"
#include "providers/sseparser.h"

namespace sy::providers {

// Reads an upstream response body on its way to the client and extracts the token
// usage, without holding the body (promise 1: no content at rest, and bounded memory).
//
// Where the usage is:
//  - chat/completions, completions, embeddings: "usage" {prompt_tokens, completion_tokens,
//    prompt_tokens_details.cached_tokens, completion_tokens_details.reasoning_tokens};
//    streamed, in the chunk that carries a "usage" object (with include_usage, the last).
//  - responses: "usage" {input_tokens, output_tokens, input_tokens_details.cached_tokens,
//    output_tokens_details.reasoning_tokens}; streamed, response.usage of the
//    response.completed (or .incomplete, .failed) event.
//  - messages: "usage" {input_tokens, output_tokens, cache_read_input_tokens,
//    cache_creation_input_tokens, cache_creation.ephemeral_1h_input_tokens}; streamed, message_start's message.usage,
//    then each message_delta's usage overrides the fields it carries (they are cumulative).
//  - count_tokens: the top-level input_tokens.
// A body that is not a stream is not kept: only its last 64 KiB, where the usage is.
//
// With hideInjectedUsage (the gateway turned on stream_options.include_usage for an
// OpenAI chat/completions stream the client did not ask usage for), the tap also
// filters the stream so the client receives exactly the bytes it would have received
// without include_usage: the final usage chunk (empty "choices") is dropped, and the
// "usage":null member OpenAI adds to every other chunk is cut out with its comma.
// Events the filter cannot edit exactly (several data lines, over 8 MiB, not JSON)
// pass unchanged.
class ResponseTap
{
public:
    static constexpr qsizetype kTailWindow = 64 * 1024;
    static constexpr qsizetype kMaxEventSize = SseParser::kDefaultMaxEventSize;

    ResponseTap(Endpoint endpoint, bool eventStream, bool hideInjectedUsage);

    // Feed de-chunked upstream body bytes in arrival order.
    // If transforms() is false, the caller forwards `data` itself unchanged and `out` is
    // left untouched (zero-copy hot path).
    // If transforms() is true, `out` receives exactly the bytes the client must see
    // (complete SSE events only; a partial event is held until complete).
    void feed(QByteArrayView data, QByteArray &out);
    // End of body: flush whatever the client must still see (an unterminated last
    // event, as it came). Further calls do nothing.
    void finish(QByteArray &out);
    // True only for an OpenAI chat/completions event stream with hideInjectedUsage.
    bool transforms() const { return m_transforms; }
    TokenUsage usage() const { return m_usage; }

private:
    void handleEvents(QByteArray *out);
    void readEvent(const SseEvent &event);
    void filterEvent(const SseEvent &event, QByteArray &out);
    void readTail();
    void applyUsage(QByteArrayView usageObject, bool partial);

    Endpoint m_endpoint;
    bool m_eventStream;
    bool m_transforms;
    bool m_finished = false;
    SseParser m_parser;
    QList<SseEvent> m_events; // reused between feeds
    QByteArray m_tail; // the last bytes of a non-stream body
    qint64 m_bodySize = 0;
    TokenUsage m_usage;
};

} // namespace sy::providers
