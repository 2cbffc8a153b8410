// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <functional>

#include <QHash>

#include "common/result.h"
#include "secrets/secretstore.h"

namespace sy::secrets {

// Where no keychain answers (a headless server): every secret in one file,
// DATA_DIR/secrets.enc, sealed with AES-256-GCM under the MasterKey. Each write seals the
// whole file again with a fresh random nonce and replaces it atomically; a file that does
// not open with the key at hand (wrong key, or altered) is reported and never overwritten.
// Format: the 8-byte magic "SYSECv1\n" (authenticated), then nonce || ciphertext || tag.
class EncryptedFileSecretStore final : public SecretStore
{
public:
    explicit EncryptedFileSecretStore(QString dataDir);

    static QString fileName() { return QStringLiteral("secrets.enc"); }
    QString path() const;

    SecretLocation location() const override { return SecretLocation::EncryptedFile; }
    SecretJob *read(const QString &entry) override;
    SecretJob *write(const QString &entry, const QByteArray &secret) override;
    SecretJob *remove(const QString &entry) override;

private:
    using Entries = QHash<QString, QByteArray>;
    Result<Entries> load(const QByteArray &key) const; // a missing file holds no entries
    Status save(const QByteArray &key, const Entries &entries) const;
    // Read, change and save under a lock, so two processes never lose each other's writes.
    SecretJob *update(const QString &entry, const std::function<void(Entries &)> &change, bool mayCreateKey);

    QString m_dataDir;
};

} // namespace sy::secrets
