// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "clientkeystore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include "common/clock.h"
#include "common/privatefile.h"

namespace sy::secrets {

ClientKeyStore::ClientKeyStore(QString dataDir) : m_dataDir(std::move(dataDir)) { }

QString ClientKeyStore::path() const
{
    return QDir(m_dataDir).filePath(fileName());
}

Result<QList<ClientKey>> ClientKeyStore::load() const
{
    using Error = Result<QList<ClientKey>>;
    const auto array = readJsonArrayFile(path());
    if (!array)
        return Error::failure(array.error() + QStringLiteral("; no client key from it is accepted"));
    QList<ClientKey> keys;
    for (const QJsonValue &value : array.value()) {
        const QJsonObject object = value.toObject();
        ClientKey key;
        key.name = object.value(u"name").toString();
        key.sha256 = QByteArray::fromHex(object.value(u"sha256").toString().toLatin1());
        key.prefix = object.value(u"prefix").toString();
        key.created = QDateTime::fromString(object.value(u"created").toString(), Qt::ISODate);
        key.expires = QDateTime::fromString(object.value(u"expires").toString(), Qt::ISODate);
        if (key.name.isEmpty() || key.sha256.size() != 32)
            return Error::failure(QStringLiteral("%1 is damaged (an entry without name or hash)").arg(path()));
        keys.append(key);
    }
    return keys;
}

Status ClientKeyStore::save(const QList<ClientKey> &keys) const
{
    QJsonArray array;
    for (const ClientKey &key : keys) {
        QJsonObject object {{QStringLiteral("name"), key.name},
                            {QStringLiteral("sha256"), QString::fromLatin1(key.sha256.toHex())},
                            {QStringLiteral("prefix"), key.prefix},
                            {QStringLiteral("created"), key.created.toString(Qt::ISODate)}};
        if (key.expires.isValid())
            object.insert(QStringLiteral("expires"), key.expires.toString(Qt::ISODate));
        array.append(object);
    }
    return writePrivateFile(path(), QJsonDocument(array).toJson());
}

Result<QString> ClientKeyStore::create(const QString &name, const QDateTime &expires)
{
    using Error = Result<QString>;
    if (name.isEmpty() || name.contains(u'\n'))
        return Error::failure(QStringLiteral("a client key needs a one-line name"));
    auto keys = load();
    if (!keys)
        return Error::failure(keys.error());
    for (const ClientKey &key : keys.value()) {
        if (key.name == name)
            return Error::failure(QStringLiteral("a client key named '%1' exists; revoke it first").arg(name));
    }
    // 256 bits from the operating system's CSPRNG.
    quint32 random[8];
    QRandomGenerator::system()->fillRange(random);
    const QByteArray secret = QByteArray(reinterpret_cast<const char *>(random), sizeof random)
                                  .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QString value = QStringLiteral("sy-") + QString::fromLatin1(secret);
    ClientKey key;
    key.name = name;
    key.sha256 = QCryptographicHash::hash(value.toLatin1(), QCryptographicHash::Sha256);
    key.prefix = value.left(7);
    key.created = Clock::instance().nowUtc();
    key.expires = expires;
    keys.value().append(key);
    if (Status saved = save(keys.value()); !saved)
        return Error::failure(saved.error());
    return value;
}

Status ClientKeyStore::revoke(const QString &name)
{
    auto keys = load();
    if (!keys)
        return Status::failure(keys.error());
    const qsizetype removed = keys.value().removeIf([&](const ClientKey &key) { return key.name == name; });
    if (removed == 0)
        return Status::failure(QStringLiteral("no client key named '%1'").arg(name));
    return save(keys.value());
}

} // namespace sy::secrets
