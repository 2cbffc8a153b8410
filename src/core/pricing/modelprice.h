// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

namespace sy::pricing {

// The price of one model in integer micro-dollars per million tokens, so that costs are
// computed exactly and the same token counts always give the same cost.
struct ModelPrice
{
    qint64 input = 0;
    qint64 output = 0;
    qint64 cachedInput = 0;
    qint64 cacheWrite = 0; // Anthropic's 5-minute cache writes (the default TTL)
    qint64 cacheWrite1h = 0; // 1-hour cache writes

    friend bool operator==(const ModelPrice &, const ModelPrice &) = default;
};

} // namespace sy::pricing
