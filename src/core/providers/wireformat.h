// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

namespace sy::providers {

// The two API dialects the gateway speaks. Errors the gateway makes itself must come back
// in the caller's dialect, or the caller's SDK fails to parse them.
enum class WireFormat { OpenAI, Anthropic };

// What went wrong, independent of dialect. Each kind maps to one HTTP status and to the
// error type string each provider documents for it.
enum class ErrorKind {
    InvalidRequest,
    Authentication,
    Permission,
    NotFound,
    MethodNotAllowed,
    RequestTooLarge,
    HeadersTooLarge,
    RateLimited,
    UpstreamUnavailable,
    UpstreamTimeout,
    Internal,
    Unavailable, // the gateway itself is not taking requests now (paused)
};

// 400, 401, 403, 404, 405, 413, 431, 429, 502, 504, 500, 503.
int httpStatus(ErrorKind kind);

// A complete JSON error body that the caller's official SDK parses into the right error
// class (the SDKs pick the class from the status; the body gives type and message).
//   OpenAI:    {"error":{"message":...,"type":...,"param":null,"code":...}}
//   Anthropic: {"type":"error","error":{"type":...,"message":...}}
// The type strings are the ones each provider sends on the wire (see wireformat.cpp).
// `message` is escaped; it must not carry request content, keys or header values.
QByteArray errorBody(WireFormat format, ErrorKind kind, QStringView message);

// As above with an explicit OpenAI `code` (e.g. "model_not_found" for an unknown model,
// which only the caller can tell apart from an unknown path). An empty code gives the
// kind's default; Anthropic bodies have no code and ignore it.
QByteArray errorBody(WireFormat format, ErrorKind kind, QStringView message, QByteArrayView openAiCode);

} // namespace sy::providers
