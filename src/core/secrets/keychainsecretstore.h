// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include "secrets/secretstore.h"

namespace sy::secrets {

// The OS keychain through QtKeychain: Secret Service on Linux, Keychain on macOS,
// Credential Manager on Windows. Entries live under the service "switchyard", so the
// keychain shows them as switchyard/<provider>/<id>. QtKeychain's insecure fallback
// (a plain settings file) stays off: where no keychain answers, the job reports
// SecretError::Unavailable and the caller chooses the encrypted file instead.
class KeychainSecretStore final : public SecretStore
{
public:
    explicit KeychainSecretStore(QString service = QStringLiteral("switchyard"));

    SecretLocation location() const override { return SecretLocation::Keychain; }
    SecretJob *read(const QString &entry) override;
    SecretJob *write(const QString &entry, const QByteArray &secret) override;
    SecretJob *remove(const QString &entry) override;

private:
    QString m_service;
};

} // namespace sy::secrets
