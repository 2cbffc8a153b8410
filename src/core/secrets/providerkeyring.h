// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace sy::secrets {

struct ProviderKey
{
    QString label; // "default", "team-b", or "env" for the api_key_env variable
    QByteArray secret;
};

// The provider keys in memory, read once from their stores: the gateway's only source of
// keys at request time, so a request never waits on a keychain.
using ProviderKeyring = QHash<QString, QList<ProviderKey>>; // provider id → its pool, in order

} // namespace sy::secrets
