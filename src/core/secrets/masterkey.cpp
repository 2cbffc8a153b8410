// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "masterkey.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include "common/privatefile.h"
#include "secrets/aesgcm.h"

namespace sy::secrets {

namespace {

// 64 hex digits, or base64 (standard or URL alphabet) of exactly 32 bytes.
QByteArray decodeKey(const QByteArray &text)
{
    const QByteArray trimmed = text.trimmed();
    if (trimmed.size() == 2 * aesgcm::kKeyBytes) {
        const QByteArray fromHex = QByteArray::fromHex(trimmed);
        if (fromHex.size() == aesgcm::kKeyBytes && fromHex.toHex() == trimmed.toLower())
            return fromHex;
    }
    for (auto alphabet : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
        auto decoded = QByteArray::fromBase64Encoding(trimmed, alphabet | QByteArray::AbortOnBase64DecodingErrors);
        if (decoded && decoded.decoded.size() == aesgcm::kKeyBytes)
            return decoded.decoded;
    }
    return {};
}

} // namespace

Result<QByteArray> MasterKey::resolve(const QString &dataDir, IfMissing ifMissing)
{
    using Error = Result<QByteArray>;
    if (qEnvironmentVariableIsSet(kEnvironmentVariable)) {
        const QByteArray key = decodeKey(qgetenv(kEnvironmentVariable));
        if (key.isEmpty())
            return Error::failure(QStringLiteral("%1 must hold 32 bytes as base64 or 64 hex digits "
                                                 "(make one with: openssl rand -base64 32)")
                                      .arg(QLatin1StringView(kEnvironmentVariable)));
        return key;
    }
    const QString path = QDir(dataDir).filePath(fileName());
    QFile file(path);
    if (file.exists()) {
        const QFileDevice::Permissions others
            = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther | QFileDevice::WriteOther;
        if (file.permissions() & others)
            return Error::failure(QStringLiteral("%1 can be read by other users; run: chmod 600 %1").arg(path));
        if (!file.open(QIODevice::ReadOnly))
            return Error::failure(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        const QByteArray key = decodeKey(file.readAll());
        if (key.isEmpty())
            return Error::failure(QStringLiteral("%1 is damaged (not a 256-bit key)").arg(path));
        return key;
    }
    if (ifMissing == IfMissing::Fail)
        return Error::failure(QStringLiteral("no master key: neither %1 nor %2 exists")
                                  .arg(QLatin1StringView(kEnvironmentVariable), path));
    quint32 random[aesgcm::kKeyBytes / sizeof(quint32)];
    QRandomGenerator::system()->fillRange(random);
    const QByteArray key(reinterpret_cast<const char *>(random), sizeof random);
    if (Status written = writePrivateFile(path, key.toBase64() + '\n'); !written)
        return Error::failure(written.error());
    return key;
}

} // namespace sy::secrets
