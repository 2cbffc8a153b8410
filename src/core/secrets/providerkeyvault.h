// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>

#include <QHash>
#include <QObject>

#include "common/result.h"
#include "secrets/providerkeycatalog.h"
#include "secrets/providerkeyring.h"
#include "secrets/storepreference.h"

namespace sy::secrets {

class SecretStore;

// The provider keys the user stored: their catalog plus the two stores that hold them.
// `provider-key` and delete-all-data change it; the gateway loads from it. Every step that
// touches a store is asynchronous; each call ends by calling `done` once, later, on the
// caller's thread. Secrets read once stay in memory (entries never change: setting a key
// again makes a new entry), so a reload only reads the keys it has not seen.
class ProviderKeyVault final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProviderKeyVault)

public:
    ProviderKeyVault(QString dataDir, StorePreference preference, QObject *parent = nullptr);
    // Tests hand in their own stores (a keychain service of their own, say).
    ProviderKeyVault(QString dataDir, StorePreference preference, std::unique_ptr<SecretStore> keychain,
                     std::unique_ptr<SecretStore> encryptedFile, QObject *parent = nullptr);
    ~ProviderKeyVault() override;

    static QString defaultLabel() { return QStringLiteral("default"); }
    QString catalogPath() const { return m_catalog.path(); }

    Result<QList<StoredProviderKey>> list() const { return m_catalog.load(); }

    // Stores `secret` as the provider's key with that label, replacing one with the same label.
    void set(const QString &provider, const QString &label, const QByteArray &secret,
             std::function<void(Result<StoredProviderKey>)> done);
    // Deletes the provider's key with that label (every key of the provider when `label`
    // is empty) from its store, then from the catalog. Ends with how many were removed.
    void remove(const QString &provider, const QString &label, std::function<void(Result<int>)> done);
    // Reads every usable key. Keys that cannot be read are left out and named in `problems`.
    void load(std::function<void(ProviderKeyring keys, QStringList problems)> done);
    // Deletes every entry Switchyard created in either store, the encrypted file, the
    // master key file and the catalog. The catalog stays when an entry could not be
    // deleted, so the user can try again.
    void eraseAll(std::function<void(Status)> done);

private:
    SecretStore *store(SecretLocation location) const;
    void writeSecret(const StoredProviderKey &pending, const QByteArray &secret, SecretLocation location,
                     std::function<void(Result<StoredProviderKey>)> done);
    void commit(StoredProviderKey written, std::function<void(Result<StoredProviderKey>)> done);
    void abandon(const QString &entry);
    // Removes each entry from its store; `done` gets the entries removed and the failures.
    void removeEntries(const QList<StoredProviderKey> &keys,
                       std::function<void(QStringList removed, QStringList failures)> done);

    ProviderKeyCatalog m_catalog;
    StorePreference m_preference;
    std::unique_ptr<SecretStore> m_keychain;
    std::unique_ptr<SecretStore> m_encryptedFile;
    QHash<QString, QByteArray> m_cache; // entry → secret
};

} // namespace sy::secrets
