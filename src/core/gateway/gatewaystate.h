// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>

#include <QHash>
#include <QList>

#include "common/result.h"
#include "config/config.h"
#include "pricing/pricebook.h"
#include "providers/wireformat.h"
#include "secrets/providerkeyring.h"
#include "upstream/upstreamrequest.h"

namespace sy::gateway {

// A provider ready to be called: its config, its keys and where it lives.
struct ProviderRuntime
{
    config::ProviderConfig config;
    providers::WireFormat format = providers::WireFormat::OpenAI;
    upstream::Origin origin;
    // The key pool: api_key_env's key (label "env") first, then the stored keys.
    QList<secrets::ProviderKey> keys;
    bool requiresKey = true; // false for loopback upstreams (local model servers need none)
};

// Everything a gateway thread needs to answer a request, immutable once built. A config
// change builds a new one and swaps it in whole (LiveState), so a request never sees
// half of an edit.
class GatewayState
{
public:
    // Fails when the config's price overrides are invalid. `storedKeys` come from the
    // ProviderKeyVault; keys named by api_key_env are read from the environment here.
    static Result<std::shared_ptr<const GatewayState>> create(config::Config config,
                                                              const secrets::ProviderKeyring &storedKeys = {});

    const config::Config &config() const { return m_config; }
    const pricing::PriceBook &prices() const { return m_prices; }
    const ProviderRuntime *provider(QStringView id) const;
    const ProviderRuntime *firstProvider(providers::WireFormat format) const;
    const QList<ProviderRuntime> &providers() const { return m_providers; }

    // The client name for a presented key, compared by SHA-256 only.
    std::optional<QString> clientForKey(QByteArrayView presentedKey) const;

    GatewayState(config::Config config, pricing::PriceBook prices);

private:
    config::Config m_config;
    pricing::PriceBook m_prices;
    QList<ProviderRuntime> m_providers;
    QHash<QByteArray, config::ClientKeyConfig> m_clientsByKeyHash;
};

} // namespace sy::gateway
