// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "endpoint.h"

namespace sy::providers {

Endpoint endpointForPath(QByteArrayView path)
{
    const qsizetype query = path.indexOf('?');
    if (query >= 0)
        path = path.first(query);
    if (path == "/v1/chat/completions")
        return Endpoint::ChatCompletions;
    if (path == "/v1/messages")
        return Endpoint::Messages;
    if (path == "/v1/responses")
        return Endpoint::Responses;
    if (path == "/v1/completions")
        return Endpoint::Completions;
    if (path == "/v1/embeddings")
        return Endpoint::Embeddings;
    if (path == "/v1/models")
        return Endpoint::Models;
    if (path == "/v1/messages/count_tokens")
        return Endpoint::CountTokens;
    return Endpoint::Unknown;
}

WireFormat wireFormatOf(Endpoint endpoint)
{
    switch (endpoint) {
    case Endpoint::Messages:
    case Endpoint::CountTokens:
        return WireFormat::Anthropic;
    default:
        return WireFormat::OpenAI;
    }
}

} // namespace sy::providers
