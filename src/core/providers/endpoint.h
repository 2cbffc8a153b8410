// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>

#include "providers/wireformat.h"

namespace sy::providers {

// The API endpoints the gateway forwards. The endpoint decides the wire format of the
// caller's errors and where the response carries its token usage.
enum class Endpoint { ChatCompletions, Completions, Embeddings, Responses, Models, Messages, CountTokens, Unknown };

// Exact match on the path (no trailing slash, case-sensitive, as the providers route):
// /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/responses, /v1/models,
// /v1/messages, /v1/messages/count_tokens. The caller strips the query; a stray "?..."
// is ignored anyway so that a forgotten strip cannot turn a known path into Unknown.
Endpoint endpointForPath(QByteArrayView path);

// Messages and CountTokens speak Anthropic; everything else (Unknown included) OpenAI.
WireFormat wireFormatOf(Endpoint endpoint);

} // namespace sy::providers
