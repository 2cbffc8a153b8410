// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include "common/result.h"

namespace sy::secrets {

// The 256-bit key of the encrypted-file store: SWITCHYARD_MASTER_KEY when set (base64, or
// 64 hex digits), otherwise DATA_DIR/master.key, a 0600 file made on first need. The key
// file only keeps secrets.enc safe when the two are apart (a backup or a copied file
// without the key); the environment variable keeps the key off the disk. docs/SECRETS.md
// says what each protects against.
class MasterKey
{
public:
    static constexpr const char *kEnvironmentVariable = "SWITCHYARD_MASTER_KEY";
    static QString fileName() { return QStringLiteral("master.key"); }

    enum class IfMissing { Fail, Create };
    // The key, or why there is none: a malformed variable, a key file others can read.
    static Result<QByteArray> resolve(const QString &dataDir, IfMissing ifMissing);
};

} // namespace sy::secrets
