// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "providerkeycatalog.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "common/privatefile.h"

namespace sy::secrets {

QString locationName(SecretLocation location)
{
    return location == SecretLocation::Keychain ? QStringLiteral("keychain") : QStringLiteral("encrypted-file");
}

ProviderKeyCatalog::ProviderKeyCatalog(QString dataDir) : m_dataDir(std::move(dataDir)) { }

QString ProviderKeyCatalog::path() const
{
    return QDir(m_dataDir).filePath(fileName());
}

Result<QList<StoredProviderKey>> ProviderKeyCatalog::load() const
{
    using Error = Result<QList<StoredProviderKey>>;
    const auto array = readJsonArrayFile(path());
    if (!array)
        return Error::failure(array.error());
    QList<StoredProviderKey> keys;
    for (const QJsonValue &value : array.value()) {
        const QJsonObject object = value.toObject();
        StoredProviderKey key;
        key.provider = object.value(u"provider").toString();
        key.label = object.value(u"label").toString();
        const QString store = object.value(u"store").toString();
        key.location = store == u"encrypted-file" ? SecretLocation::EncryptedFile : SecretLocation::Keychain;
        key.entry = object.value(u"entry").toString();
        key.last4 = object.value(u"last4").toString();
        key.created = QDateTime::fromString(object.value(u"created").toString(), Qt::ISODate);
        key.pending = object.value(u"pending").toBool();
        if (key.provider.isEmpty() || key.label.isEmpty() || key.entry.isEmpty()
            || (store != u"keychain" && store != u"encrypted-file"))
            return Error::failure(
                QStringLiteral("%1 is damaged (an entry without provider, label or store)").arg(path()));
        keys.append(key);
    }
    return keys;
}

Status ProviderKeyCatalog::save(const QList<StoredProviderKey> &keys) const
{
    QJsonArray array;
    for (const StoredProviderKey &key : keys) {
        QJsonObject object {{QStringLiteral("provider"), key.provider},
                            {QStringLiteral("label"), key.label},
                            {QStringLiteral("store"), locationName(key.location)},
                            {QStringLiteral("entry"), key.entry},
                            {QStringLiteral("last4"), key.last4},
                            {QStringLiteral("created"), key.created.toString(Qt::ISODate)}};
        if (key.pending)
            object.insert(QStringLiteral("pending"), true);
        array.append(object);
    }
    return writePrivateFile(path(), QJsonDocument(array).toJson());
}

} // namespace sy::secrets
