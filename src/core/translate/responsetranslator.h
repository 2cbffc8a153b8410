// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>

#include <QByteArray>
#include <QByteArrayView>

#include "http/headers.h"
#include "translate/chatstreamtomessages.h"
#include "translate/translation.h"

namespace sy::translate {

// The response side of one translated call, as the gateway drives it: an OpenAI chat
// completions answer in, the Anthropic answer the caller expects out.
//  - A 2xx event stream is re-emitted event by event (ChatStreamToMessages): the client's
//    response begins at once and each upstream read gives what is ready.
//  - A 2xx JSON answer (ChatCompletionToMessage) or an error (ErrorTranslator) needs the
//    whole body, so it is collected (up to kMaxBufferedBytes) and answered at the end.
class ResponseTranslator
{
public:
    static constexpr qsizetype kMaxBufferedBytes = 32 * 1024 * 1024;

    ResponseTranslator(std::shared_ptr<const Translation> translation, int upstreamStatus,
                       const http::HeaderList &upstreamHeaders);
    ~ResponseTranslator();

    // True: begin the client's response now with status() and headers(); feed()'s output
    // goes out as it comes. False: the answer comes whole from finish().
    bool streams() const { return m_stream.has_value(); }
    int status() const { return m_status; }
    // The upstream's headers (request ids, rate-limit and retry-after headers) with the
    // framing and content type the translated body needs.
    http::HeaderList headers() const;

    void feed(QByteArrayView data, QByteArray &out);
    // The upstream body ended. Streams: as ChatStreamToMessages::finish. Otherwise `out`
    // is the whole answer and status() its status; true unless the answer could not be read.
    bool finish(QByteArray &out);
    // The upstream failed after its response began (streams only; see ChatStreamToMessages).
    void fail(QByteArray &out);

private:
    std::shared_ptr<const Translation> m_translation;
    int m_upstreamStatus;
    int m_status;
    http::HeaderList m_headers;
    std::optional<ChatStreamToMessages> m_stream;
    QByteArray m_body; // a buffered answer
    bool m_overflow = false;
};

} // namespace sy::translate
