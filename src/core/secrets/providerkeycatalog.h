// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

#include "common/result.h"
#include "secrets/secretstore.h"

namespace sy::secrets {

// What Switchyard knows about a stored provider key, without the key.
struct StoredProviderKey
{
    QString provider;
    QString label; // several keys per provider form a pool; each has a label
    SecretLocation location = SecretLocation::Keychain;
    QString entry; // the store's entry name: "<provider>/<random id>"
    QString last4; // the key's last four characters, to tell keys apart in a list
    QDateTime created;
    bool pending = false; // being written: not usable yet, but its entry may exist
};

// DATA_DIR/providerkeys.json (0600, replaced atomically): the index of every provider key
// Switchyard put in a store. Keychains cannot be listed reliably, so this is how `list`
// and `delete-all-data` find entries, and its changes are how a running gateway learns
// that keys were set or removed.
class ProviderKeyCatalog
{
public:
    explicit ProviderKeyCatalog(QString dataDir);

    static QString fileName() { return QStringLiteral("providerkeys.json"); }
    QString path() const;

    Result<QList<StoredProviderKey>> load() const; // a missing file is an empty catalog
    Status save(const QList<StoredProviderKey> &keys) const;

private:
    QString m_dataDir;
};

} // namespace sy::secrets
