// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "errortranslator.h"

#include "providers/jsonscanner.h"
#include "translate/jsonview.h"

namespace sy::translate {

ErrorTranslator::Answer ErrorTranslator::toAnthropic(int upstreamStatus, QByteArrayView openAiBody)
{
    Answer answer;
    answer.status = upstreamStatus;
    QByteArrayView type;
    switch (upstreamStatus) {
    case 400:
        type = "invalid_request_error";
        break;
    case 401:
        type = "authentication_error";
        break;
    case 403:
        type = "permission_error";
        break;
    case 404:
        type = "not_found_error";
        break;
    case 413:
        type = "request_too_large";
        break;
    case 429:
        type = "rate_limit_error";
        break;
    case 503:
    case 529:
        answer.status = 529;
        type = "overloaded_error";
        break;
    case 504:
        type = "timeout_error";
        break;
    default:
        if (upstreamStatus < 400 || upstreamStatus > 599)
            answer.status = 502; // not an error status: the provider's answer makes no sense here
        type = answer.status < 500 ? "invalid_request_error" : "api_error";
        break;
    }
    // {"error":{"message":...}} (OpenAI and most compatible servers), {"error":"..."} or
    // {"message":...} (some local servers); anything else gets a message naming the status.
    const JsonView body = JsonView::parse(openAiBody);
    JsonView message = body.member("error").member("message");
    if (!message.isString())
        message = body.member("error");
    if (!message.isString())
        message = body.member("message");
    answer.body = R"({"type":"error","error":{"type":")";
    answer.body += type;
    answer.body += R"(","message":)";
    if (message.isString())
        answer.body += message.raw();
    else
        providers::JsonScanner::appendQuoted(
            answer.body, QByteArray("the provider answered HTTP " + QByteArray::number(upstreamStatus)));
    answer.body += "}}";
    return answer;
}

} // namespace sy::translate
