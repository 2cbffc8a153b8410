// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "dataeraser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "secrets/clientkeystore.h"
#include "secrets/encryptedfilesecretstore.h"
#include "secrets/masterkey.h"

namespace sy::secrets {

DataEraser::DataEraser(QString dataDir, QString configFile, ProviderKeyVault &vault, QObject *parent)
    : QObject(parent), m_dataDir(std::move(dataDir)), m_configFile(std::move(configFile)), m_vault(vault)
{ }

QStringList DataEraser::files() const
{
    const QDir dir(m_dataDir);
    QStringList names {ClientKeyStore::fileName(), ProviderKeyCatalog::fileName(), EncryptedFileSecretStore::fileName(),
                       MasterKey::fileName()};
    // The database, its WAL and shared memory, and any copy moved aside after damage.
    names += dir.entryList({QStringLiteral("usage*.sqlite*")}, QDir::Files | QDir::Hidden);
    QStringList paths;
    for (const QString &name : std::as_const(names)) {
        if (dir.exists(name))
            paths.append(dir.filePath(name));
    }
    if (QFile::exists(m_configFile))
        paths.append(m_configFile);
    paths.removeDuplicates();
    return paths;
}

QStringList DataEraser::inventory() const
{
    QStringList lines;
    const auto keys = m_vault.list();
    for (const StoredProviderKey &key : keys ? keys.value() : QList<StoredProviderKey>()) {
        lines.append(
            QStringLiteral("provider key %1/%2 in the %3").arg(key.provider, key.label, locationName(key.location)));
    }
    for (const QString &path : files())
        lines.append(QDir::toNativeSeparators(path));
    return lines;
}

void DataEraser::eraseAll(std::function<void(Status)> done)
{
    // Keys first: the catalog that finds the keychain entries goes last.
    m_vault.eraseAll([this, done](Status keys) {
        QStringList left;
        if (!keys)
            left.append(keys.error());
        for (const QString &path : files()) {
            if (!QFile::remove(path))
                left.append(QStringLiteral("cannot delete %1").arg(QDir::toNativeSeparators(path)));
        }
        for (const QString &folder : {QFileInfo(m_configFile).absolutePath(), m_dataDir})
            QDir().rmdir(folder); // only when empty: a folder the user shares with other files stays
        if (!left.isEmpty()) {
            done(Status::failure(left.join(QStringLiteral("; "))));
            return;
        }
        done(success());
    });
}

} // namespace sy::secrets
