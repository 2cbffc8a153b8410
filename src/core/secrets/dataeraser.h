// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <functional>

#include <QObject>
#include <QStringList>

#include "common/result.h"
#include "secrets/providerkeyvault.h"

namespace sy::secrets {

// The user's right to leave: deletes everything Switchyard keeps — the usage database
// (and any copy moved aside), the config, the client key hashes, every keychain entry it
// created, the encrypted key file and its master key — and then the data dir itself when
// nothing else is in it. Files Switchyard did not make are never touched.
class DataEraser final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DataEraser)

public:
    DataEraser(QString dataDir, QString configFile, ProviderKeyVault &vault, QObject *parent = nullptr);

    // What eraseAll() would delete, one line each, for the user to confirm.
    QStringList inventory() const;
    // Ends with success only when nothing is left; otherwise with what remains.
    void eraseAll(std::function<void(Status)> done);

private:
    QStringList files() const;

    QString m_dataDir;
    QString m_configFile;
    ProviderKeyVault &m_vault;
};

} // namespace sy::secrets
