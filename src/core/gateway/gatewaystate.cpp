// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "gatewaystate.h"

#include <QCryptographicHash>

#include "common/clock.h"

namespace sy::gateway {

GatewayState::GatewayState(config::Config config, pricing::PriceBook prices)
    : m_config(std::move(config)), m_prices(std::move(prices))
{ }

Result<std::shared_ptr<const GatewayState>> GatewayState::create(config::Config config,
                                                                 const secrets::ProviderKeyring &storedKeys)
{
    Result<pricing::PriceBook> prices = pricing::PriceBook::load(config.priceOverrides);
    if (!prices)
        return Result<std::shared_ptr<const GatewayState>>::failure(QStringLiteral("prices: ") + prices.error());
    auto state = std::make_shared<GatewayState>(std::move(config), std::move(prices).value());
    for (const config::ProviderConfig &provider : std::as_const(state->m_config.providers)) {
        ProviderRuntime runtime;
        runtime.config = provider;
        runtime.format = provider.kind == config::ProviderKind::Anthropic ? providers::WireFormat::Anthropic
                                                                          : providers::WireFormat::OpenAI;
        runtime.origin.tls = provider.baseUrl.scheme() == u"https";
        runtime.origin.host = provider.baseUrl.host();
        runtime.origin.port = quint16(provider.baseUrl.port(runtime.origin.tls ? 443 : 80));
        runtime.origin.caFile = provider.caFile;
        runtime.requiresKey = !config::isLoopbackHost(runtime.origin.host);
        if (!provider.apiKeyEnv.isEmpty()) {
            const QByteArray fromEnvironment = qgetenv(provider.apiKeyEnv.toLocal8Bit().constData()).trimmed();
            if (!fromEnvironment.isEmpty())
                runtime.keys.append({QStringLiteral("env"), fromEnvironment});
        }
        runtime.keys += storedKeys.value(provider.id);
        state->m_providers.append(runtime);
    }
    for (const config::ClientKeyConfig &key : std::as_const(state->m_config.clientKeys))
        state->m_clientsByKeyHash.insert(key.sha256, key);
    return std::shared_ptr<const GatewayState>(std::move(state));
}

const ProviderRuntime *GatewayState::provider(QStringView id) const
{
    for (const ProviderRuntime &provider : m_providers) {
        if (provider.config.id == id)
            return &provider;
    }
    return nullptr;
}

const ProviderRuntime *GatewayState::firstProvider(providers::WireFormat format) const
{
    for (const ProviderRuntime &provider : m_providers) {
        if (provider.format == format)
            return &provider;
    }
    return nullptr;
}

std::optional<QString> GatewayState::clientForKey(QByteArrayView presentedKey) const
{
    if (presentedKey.isEmpty())
        return std::nullopt;
    const QByteArray hash = QCryptographicHash::hash(presentedKey, QCryptographicHash::Sha256);
    const auto it = m_clientsByKeyHash.constFind(hash);
    if (it == m_clientsByKeyHash.constEnd())
        return std::nullopt;
    if (it->expires.isValid() && it->expires <= Clock::instance().nowUtc())
        return std::nullopt; // expired: as good as revoked
    return it->name;
}

} // namespace sy::gateway
