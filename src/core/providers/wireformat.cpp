// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "wireformat.h"

#include "providers/jsonscanner.h"

namespace sy::providers {

namespace {

struct ErrorShape
{
    int status;
    const char *openAiType;
    const char *openAiCode; // nullptr: JSON null
    const char *anthropicType;
};

// OpenAI types and codes as api.openai.com sends them: a bad key is a 401 with type
// invalid_request_error and code invalid_api_key, an unknown model a 404 with type
// invalid_request_error (code model_not_found), a rate limit a 429 with code
// rate_limit_exceeded, a server fault type server_error. Anthropic types as listed in
// its "HTTP errors" page and in the SDK's ErrorType union (timeout_error for 504).
ErrorShape shapeOf(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::InvalidRequest:
        return {400, "invalid_request_error", nullptr, "invalid_request_error"};
    case ErrorKind::Authentication:
        return {401, "invalid_request_error", "invalid_api_key", "authentication_error"};
    case ErrorKind::Permission:
        return {403, "permission_error", nullptr, "permission_error"};
    case ErrorKind::NotFound:
        return {404, "invalid_request_error", nullptr, "not_found_error"};
    case ErrorKind::MethodNotAllowed:
        return {405, "invalid_request_error", nullptr, "invalid_request_error"};
    case ErrorKind::RequestTooLarge:
        return {413, "invalid_request_error", "request_too_large", "request_too_large"};
    case ErrorKind::HeadersTooLarge:
        return {431, "invalid_request_error", nullptr, "invalid_request_error"};
    case ErrorKind::RateLimited:
        return {429, "rate_limit_error", "rate_limit_exceeded", "rate_limit_error"};
    case ErrorKind::UpstreamUnavailable:
        return {502, "server_error", nullptr, "api_error"};
    case ErrorKind::UpstreamTimeout:
        return {504, "server_error", "timeout", "timeout_error"};
    case ErrorKind::Unavailable: // SDKs raise their 5xx class for it and retry later
        return {503, "server_error", "service_unavailable", "api_error"};
    case ErrorKind::Internal:
        break;
    }
    return {500, "server_error", nullptr, "api_error"};
}

} // namespace

int httpStatus(ErrorKind kind)
{
    return shapeOf(kind).status;
}

QByteArray errorBody(WireFormat format, ErrorKind kind, QStringView message)
{
    return errorBody(format, kind, message, {});
}

QByteArray errorBody(WireFormat format, ErrorKind kind, QStringView message, QByteArrayView openAiCode)
{
    const ErrorShape shape = shapeOf(kind);
    QByteArray out;
    out.reserve(96 + message.size() * 2);
    if (format == WireFormat::Anthropic) {
        out += R"({"type":"error","error":{"type":")";
        out += shape.anthropicType;
        out += R"(","message":)";
        JsonScanner::appendQuoted(out, message);
        out += "}}";
        return out;
    }
    out += R"({"error":{"message":)";
    JsonScanner::appendQuoted(out, message);
    out += R"(,"type":")";
    out += shape.openAiType;
    out += R"(","param":null,"code":)";
    if (!openAiCode.isEmpty()) {
        JsonScanner::appendQuoted(out, openAiCode);
    } else if (shape.openAiCode) {
        out += '"';
        out += shape.openAiCode;
        out += '"';
    } else {
        out += "null";
    }
    out += "}}";
    return out;
}

} // namespace sy::providers
