// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

namespace sy::secrets {

class SecretJob;

enum class SecretLocation { Keychain, EncryptedFile };
QString locationName(SecretLocation location); // "keychain", "encrypted-file"

// A place that keeps secrets by entry name ("openai/4f1c…"). The OS keychain answers over
// D-Bus or an OS API and may wait for the user to unlock it, so every call returns a job
// at once and answers through its `finished` signal: no caller ever blocks on a store.
class SecretStore
{
public:
    virtual ~SecretStore() = default;

    virtual SecretLocation location() const = 0;
    virtual SecretJob *read(const QString &entry) = 0;
    virtual SecretJob *write(const QString &entry, const QByteArray &secret) = 0;
    // Deleted at once, not flagged. An entry that is already gone is not an error.
    virtual SecretJob *remove(const QString &entry) = 0;
};

} // namespace sy::secrets
