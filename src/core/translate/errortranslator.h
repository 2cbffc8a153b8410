// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace sy::translate {

// An OpenAI-format error answer as the Anthropic SDK expects one, so it raises the right
// class: {"type":"error","error":{"type":...,"message":...}} with
//   400 invalid_request_error, 401 authentication_error, 403 permission_error,
//   404 not_found_error, 413 request_too_large, 429 rate_limit_error,
//   500 api_error, 503 -> 529 overloaded_error (Claude Code retries those), 504 timeout_error;
// other statuses keep their number with invalid_request_error (4xx) or api_error (5xx).
// The provider's message is kept (it is the caller's own answer, never logged).
class ErrorTranslator
{
public:
    struct Answer
    {
        int status = 500;
        QByteArray body;
    };

    static Answer toAnthropic(int upstreamStatus, QByteArrayView openAiBody);
};

} // namespace sy::translate
