// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

#include "common/result.h"

namespace sy::secrets {

// A client key as stored: never the key, only its SHA-256 and a short prefix to tell
// keys apart in a list.
struct ClientKey
{
    QString name;
    QByteArray sha256; // 32 raw bytes
    QString prefix; // "sy-AbCd"
    QDateTime created;
    QDateTime expires; // invalid: never
};

// The client keys Switchyard issued, in DATA_DIR/clientkeys.json (0600, written
// atomically). The gateway reloads the file when it changes, so a revocation takes
// effect on the next request.
class ClientKeyStore
{
public:
    explicit ClientKeyStore(QString dataDir);

    static QString fileName() { return QStringLiteral("clientkeys.json"); }
    QString path() const;

    Result<QList<ClientKey>> load() const; // a missing file is an empty list
    // Issues a key: returns it (shown once, never stored).
    Result<QString> create(const QString &name, const QDateTime &expires = {});
    Status revoke(const QString &name);

private:
    Status save(const QList<ClientKey> &keys) const;

    QString m_dataDir;
};

} // namespace sy::secrets
