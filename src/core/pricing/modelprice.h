// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QtGlobal>

namespace sy::pricing {

// Rates in integer micro-dollars per million tokens, so that costs are computed exactly and
// the same token counts always give the same cost.
struct Rates
{
    qint64 input = 0;
    qint64 output = 0;
    qint64 cachedInput = 0;
    qint64 cacheWrite = 0; // cache writes at the default TTL (Anthropic 5 minutes, OpenAI 30)
    qint64 cacheWrite1h = 0; // Anthropic's 1-hour cache writes

    friend bool operator==(const Rates &, const Rates &) = default;
};

// What one model costs on one day. Some models cost more per token once the prompt is long
// (Gemini Pro above 200k tokens); the whole request is then billed at that tier's rates,
// output included, as the providers bill it.
struct ModelPrice
{
    struct Tier
    {
        qint64 abovePromptTokens = 0;
        Rates rates;

        friend bool operator==(const Tier &, const Tier &) = default;
    };

    Rates rates; // prompts up to the first tier's threshold
    QList<Tier> longPrompt; // ascending thresholds

    const Rates &ratesFor(qint64 promptTokens) const
    {
        const Rates *chosen = &rates;
        for (const Tier &tier : longPrompt) {
            if (promptTokens > tier.abovePromptTokens)
                chosen = &tier.rates;
        }
        return *chosen;
    }

    friend bool operator==(const ModelPrice &, const ModelPrice &) = default;
};

} // namespace sy::pricing
