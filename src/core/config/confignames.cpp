// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "config.h"

namespace sy::config {

QString kindName(ProviderKind kind)
{
    switch (kind) {
    case ProviderKind::OpenAI:
        return QStringLiteral("openai");
    case ProviderKind::Anthropic:
        return QStringLiteral("anthropic");
    case ProviderKind::OpenAICompatible:
        return QStringLiteral("openai-compatible");
    }
    return {};
}

QString strategyName(RouteStrategy strategy)
{
    switch (strategy) {
    case RouteStrategy::Fallback:
        return QStringLiteral("fallback");
    case RouteStrategy::Weighted:
        return QStringLiteral("weighted");
    case RouteStrategy::LowestLatency:
        return QStringLiteral("lowest-latency");
    case RouteStrategy::LowestCost:
        return QStringLiteral("lowest-cost");
    }
    return {};
}

QString secretStoreName(secrets::StorePreference preference)
{
    switch (preference) {
    case secrets::StorePreference::Auto:
        return QStringLiteral("auto");
    case secrets::StorePreference::Keychain:
        return QStringLiteral("keychain");
    case secrets::StorePreference::EncryptedFile:
        return QStringLiteral("encrypted-file");
    }
    return {};
}

} // namespace sy::config
