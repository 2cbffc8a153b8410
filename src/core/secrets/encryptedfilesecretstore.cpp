// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "encryptedfilesecretstore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>

#include "common/privatefile.h"
#include "secrets/aesgcm.h"
#include "secrets/masterkey.h"
#include "secrets/secretjob.h"
#include "secrets/secretslog.h"

namespace sy::secrets {

namespace {

constexpr QByteArrayView kMagic = "SYSECv1\n";

// Plaintext is wiped before its memory goes back to the allocator (best effort: Qt's
// implicit sharing may have made copies we cannot reach).
struct Wiped
{
    QByteArray bytes;
    ~Wiped() { bytes.fill('\0'); }
};

} // namespace

EncryptedFileSecretStore::EncryptedFileSecretStore(QString dataDir) : m_dataDir(std::move(dataDir)) { }

QString EncryptedFileSecretStore::path() const
{
    return QDir(m_dataDir).filePath(fileName());
}

Result<EncryptedFileSecretStore::Entries> EncryptedFileSecretStore::load(const QByteArray &key) const
{
    using Error = Result<Entries>;
    QFile file(path());
    if (!file.exists())
        return Entries();
    if (!file.open(QIODevice::ReadOnly))
        return Error::failure(QStringLiteral("cannot read %1: %2").arg(path(), file.errorString()));
    const QByteArray sealed = file.readAll();
    if (!sealed.startsWith(kMagic))
        return Error::failure(QStringLiteral("%1 is not a Switchyard secrets file").arg(path()));
    std::optional<QByteArray> opened = aesgcm::open(key, QByteArrayView(sealed).sliced(kMagic.size()), kMagic);
    if (!opened)
        return Error::failure(
            QStringLiteral("cannot decrypt %1: the master key is not the one it was written with, or the file was "
                           "altered; it was left as it is")
                .arg(path()));
    const Wiped plaintext {std::move(*opened)};
    const QJsonObject object = QJsonDocument::fromJson(plaintext.bytes).object().value(u"entries").toObject();
    Entries entries;
    for (auto it = object.begin(); it != object.end(); ++it)
        entries.insert(it.key(), QByteArray::fromBase64(it.value().toString().toLatin1()));
    return entries;
}

Status EncryptedFileSecretStore::save(const QByteArray &key, const Entries &entries) const
{
    QJsonObject object;
    for (auto it = entries.begin(); it != entries.end(); ++it)
        object.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
    const Wiped plaintext {
        QJsonDocument(QJsonObject {{QStringLiteral("entries"), object}}).toJson(QJsonDocument::Compact)};
    const QByteArray sealed = aesgcm::seal(key, plaintext.bytes, kMagic);
    if (sealed.isEmpty())
        return Status::failure(QStringLiteral("encryption failed (OpenSSL)"));
    return writePrivateFile(path(), kMagic.toByteArray() + sealed);
}

SecretJob *EncryptedFileSecretStore::read(const QString &entry)
{
    auto *job = new SecretJob;
    if (!QFile::exists(path())) {
        job->failLater(SecretError::NotFound, QStringLiteral("no entry %1 (no %2)").arg(entry, path()));
        return job;
    }
    auto key = MasterKey::resolve(m_dataDir, MasterKey::IfMissing::Fail);
    if (!key) {
        job->failLater(SecretError::Unavailable, key.error());
        return job;
    }
    auto entries = load(key.value());
    if (!entries)
        job->failLater(SecretError::Failed, entries.error());
    else if (!entries->contains(entry))
        job->failLater(SecretError::NotFound, QStringLiteral("no entry %1 in %2").arg(entry, path()));
    else
        job->finishLater(entries->value(entry));
    return job;
}

SecretJob *EncryptedFileSecretStore::update(const QString &entry, const std::function<void(Entries &)> &change,
                                            bool mayCreateKey)
{
    auto *job = new SecretJob;
    QDir().mkpath(m_dataDir);
    QLockFile lock(path() + QStringLiteral(".lock"));
    if (!lock.tryLock(10'000)) {
        job->failLater(SecretError::Failed, QStringLiteral("%1 is locked by another process").arg(path()));
        return job;
    }
    auto key = MasterKey::resolve(m_dataDir, mayCreateKey ? MasterKey::IfMissing::Create : MasterKey::IfMissing::Fail);
    if (!key) {
        job->failLater(SecretError::Unavailable, key.error());
        return job;
    }
    auto entries = load(key.value());
    if (!entries) {
        job->failLater(SecretError::Failed, entries.error());
        return job;
    }
    change(entries.value());
    if (Status saved = save(key.value(), entries.value()); !saved) {
        job->failLater(SecretError::Failed, saved.error());
        return job;
    }
    qCDebug(lcSecrets) << "encrypted file updated for entry" << entry;
    job->finishLater();
    return job;
}

SecretJob *EncryptedFileSecretStore::write(const QString &entry, const QByteArray &secret)
{
    return update(
        entry, [&](Entries &entries) { entries.insert(entry, secret); }, true);
}

SecretJob *EncryptedFileSecretStore::remove(const QString &entry)
{
    if (!QFile::exists(path())) {
        auto *job = new SecretJob;
        job->finishLater();
        return job;
    }
    return update(
        entry, [&](Entries &entries) { entries.remove(entry); }, false);
}

} // namespace sy::secrets
