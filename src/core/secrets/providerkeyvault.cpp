// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "providerkeyvault.h"

#include <algorithm>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTimer>

#include "common/clock.h"
#include "secrets/encryptedfilesecretstore.h"
#include "secrets/keychainsecretstore.h"
#include "secrets/masterkey.h"
#include "secrets/secretjob.h"
#include "secrets/secretslog.h"

namespace sy::secrets {

namespace {

QString newEntryName(const QString &provider)
{
    quint32 random[2];
    QRandomGenerator::system()->fillRange(random);
    return provider + u'/'
        + QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(random), sizeof random).toHex().left(12));
}

// Short keys would be mostly given away by their tail.
QString lastFour(const QByteArray &secret)
{
    return secret.size() >= 16 ? QString::fromLatin1(secret.right(4)) : QString();
}

// Calls `done` once every one of `count` asynchronous steps has reported.
struct Countdown
{
    int remaining;
    std::function<void()> done;
    void step()
    {
        if (--remaining == 0)
            done();
    }
};

} // namespace

ProviderKeyVault::ProviderKeyVault(QString dataDir, StorePreference preference, QObject *parent)
    : ProviderKeyVault(dataDir, preference, std::make_unique<KeychainSecretStore>(),
                       std::make_unique<EncryptedFileSecretStore>(dataDir), parent)
{ }

ProviderKeyVault::ProviderKeyVault(QString dataDir, StorePreference preference, std::unique_ptr<SecretStore> keychain,
                                   std::unique_ptr<SecretStore> encryptedFile, QObject *parent)
    : QObject(parent), m_catalog(std::move(dataDir)), m_preference(preference), m_keychain(std::move(keychain)),
      m_encryptedFile(std::move(encryptedFile))
{ }

ProviderKeyVault::~ProviderKeyVault() = default;

SecretStore *ProviderKeyVault::store(SecretLocation location) const
{
    return location == SecretLocation::Keychain ? m_keychain.get() : m_encryptedFile.get();
}

void ProviderKeyVault::set(const QString &provider, const QString &label, const QByteArray &secret,
                           std::function<void(Result<StoredProviderKey>)> done)
{
    using Error = Result<StoredProviderKey>;
    auto fail = [this, done](QString message) {
        QTimer::singleShot(0, this, [done, message] { done(Error::failure(message)); });
    };
    if (provider.isEmpty() || provider.contains(u'/') || label.isEmpty() || label.contains(u'/'))
        return fail(QStringLiteral("a provider id and a label without '/' are needed"));
    if (secret.isEmpty())
        return fail(QStringLiteral("the key is empty"));
    auto keys = m_catalog.load();
    if (!keys)
        return fail(keys.error());

    // The catalog names the entry before the store holds it: whatever happens next, the
    // entry can be found and deleted.
    StoredProviderKey pending;
    pending.provider = provider;
    pending.label = label;
    pending.entry = newEntryName(provider);
    pending.location
        = m_preference == StorePreference::EncryptedFile ? SecretLocation::EncryptedFile : SecretLocation::Keychain;
    pending.pending = true;
    keys.value().append(pending);
    if (Status saved = m_catalog.save(keys.value()); !saved)
        return fail(saved.error());
    writeSecret(pending, secret, pending.location, std::move(done));
}

void ProviderKeyVault::writeSecret(const StoredProviderKey &pending, const QByteArray &secret, SecretLocation location,
                                   std::function<void(Result<StoredProviderKey>)> done)
{
    SecretJob *job = store(location)->write(pending.entry, secret);
    connect(job, &SecretJob::finished, this, [=, this](SecretJob *finished) {
        if (finished->error() == SecretError::None) {
            StoredProviderKey written = pending;
            written.location = location;
            written.last4 = lastFour(secret);
            m_cache.insert(written.entry, secret);
            commit(written, done);
            return;
        }
        if (finished->error() == SecretError::Unavailable && location == SecretLocation::Keychain
            && m_preference == StorePreference::Auto) {
            qCInfo(lcSecrets) << "no keychain answers here; keeping" << pending.entry << "in the encrypted file";
            writeSecret(pending, secret, SecretLocation::EncryptedFile, done);
            return;
        }
        abandon(pending.entry);
        done(Result<StoredProviderKey>::failure(finished->errorString()));
    });
}

void ProviderKeyVault::commit(StoredProviderKey written, std::function<void(Result<StoredProviderKey>)> done)
{
    auto keys = m_catalog.load();
    if (!keys) {
        done(Result<StoredProviderKey>::failure(keys.error()));
        return;
    }
    written.pending = false;
    written.created = Clock::instance().nowUtc();
    QList<StoredProviderKey> replaced;
    QList<StoredProviderKey> kept;
    for (const StoredProviderKey &key : std::as_const(keys.value())) {
        if (key.entry == written.entry)
            kept.append(written);
        else if (key.provider == written.provider && key.label == written.label && !key.pending)
            replaced.append(key);
        else
            kept.append(key);
    }
    // Someone rewrote the catalog meanwhile and dropped the pending line: the entry exists
    // now, so it must be listed, or nothing could ever find and delete it.
    if (std::none_of(kept.cbegin(), kept.cend(),
                     [&](const StoredProviderKey &key) { return key.entry == written.entry; }))
        kept.append(written);
    if (Status saved = m_catalog.save(kept); !saved) {
        done(Result<StoredProviderKey>::failure(saved.error()));
        return;
    }
    if (replaced.isEmpty()) {
        done(written);
        return;
    }
    // The replaced key leaves its store too: a removed key is deleted, not left behind.
    removeEntries(replaced, [done, written](const QStringList &, const QStringList &failures) {
        for (const QString &failure : failures)
            qCWarning(lcSecrets) << "replaced key not deleted:" << failure;
        done(written);
    });
}

void ProviderKeyVault::abandon(const QString &entry)
{
    auto keys = m_catalog.load();
    if (!keys)
        return;
    keys.value().removeIf([&](const StoredProviderKey &key) { return key.entry == entry; });
    if (Status saved = m_catalog.save(keys.value()); !saved)
        qCWarning(lcSecrets) << "catalog not updated:" << saved.error();
}

void ProviderKeyVault::removeEntries(const QList<StoredProviderKey> &keys,
                                     std::function<void(QStringList removed, QStringList failures)> done)
{
    struct Outcome
    {
        QStringList removed;
        QStringList failures;
    };
    auto outcome = std::make_shared<Outcome>();
    // A pending key may be in either store: it is removed from both.
    QList<std::pair<QString, SecretLocation>> deletions;
    for (const StoredProviderKey &key : keys) {
        deletions.append({key.entry, key.location});
        if (key.pending)
            deletions.append(
                {key.entry,
                 key.location == SecretLocation::Keychain ? SecretLocation::EncryptedFile : SecretLocation::Keychain});
    }
    if (deletions.isEmpty()) {
        QTimer::singleShot(0, this, [done] { done({}, {}); });
        return;
    }
    auto countdown = std::make_shared<Countdown>(Countdown {int(deletions.size()), [outcome, done] {
                                                                outcome->removed.removeDuplicates();
                                                                done(outcome->removed, outcome->failures);
                                                            }});
    for (const auto &[entry, location] : std::as_const(deletions)) {
        SecretJob *job = store(location)->remove(entry);
        connect(job, &SecretJob::finished, this, [this, entry, outcome, countdown](SecretJob *finished) {
            if (finished->error() == SecretError::None || finished->error() == SecretError::NotFound) {
                outcome->removed.append(entry);
                m_cache.remove(entry);
            } else {
                outcome->failures.append(finished->errorString());
            }
            countdown->step();
        });
    }
}

void ProviderKeyVault::remove(const QString &provider, const QString &label, std::function<void(Result<int>)> done)
{
    auto keys = m_catalog.load();
    if (!keys) {
        QTimer::singleShot(0, this, [done, error = keys.error()] { done(Result<int>::failure(error)); });
        return;
    }
    QList<StoredProviderKey> matching;
    for (const StoredProviderKey &key : std::as_const(keys.value())) {
        if (key.provider == provider && (label.isEmpty() || key.label == label))
            matching.append(key);
    }
    if (matching.isEmpty()) {
        const QString message = label.isEmpty()
            ? QStringLiteral("no stored key for provider '%1'").arg(provider)
            : QStringLiteral("no stored key '%2' for provider '%1'").arg(provider, label);
        QTimer::singleShot(0, this, [done, message] { done(Result<int>::failure(message)); });
        return;
    }
    removeEntries(matching, [this, done](const QStringList &removed, const QStringList &failures) {
        // The catalog forgets only what left its store, so a failed removal can be retried.
        auto now = m_catalog.load();
        if (!now) {
            done(Result<int>::failure(now.error()));
            return;
        }
        const qsizetype count
            = now.value().removeIf([&](const StoredProviderKey &key) { return removed.contains(key.entry); });
        if (Status saved = m_catalog.save(now.value()); !saved) {
            done(Result<int>::failure(saved.error()));
            return;
        }
        if (!failures.isEmpty())
            done(Result<int>::failure(failures.join(QStringLiteral("; "))));
        else
            done(int(count));
    });
}

void ProviderKeyVault::load(std::function<void(ProviderKeyring keys, QStringList problems)> done)
{
    auto keys = m_catalog.load();
    if (!keys) {
        QTimer::singleShot(0, this, [done, error = keys.error()] { done({}, {error}); });
        return;
    }
    QList<StoredProviderKey> usable = keys.value();
    usable.removeIf([](const StoredProviderKey &key) { return key.pending; });
    struct Loaded
    {
        QHash<QString, QByteArray> secrets;
        QStringList problems;
    };
    auto loaded = std::make_shared<Loaded>();
    auto finish = [this, usable, loaded, done] {
        ProviderKeyring keyring;
        for (const StoredProviderKey &key : usable) {
            if (loaded->secrets.contains(key.entry))
                keyring[key.provider].append({key.label, loaded->secrets.value(key.entry)});
        }
        done(keyring, loaded->problems);
    };
    QList<StoredProviderKey> toRead;
    for (const StoredProviderKey &key : std::as_const(usable)) {
        if (m_cache.contains(key.entry))
            loaded->secrets.insert(key.entry, m_cache.value(key.entry));
        else
            toRead.append(key);
    }
    if (toRead.isEmpty()) {
        QTimer::singleShot(0, this, finish);
        return;
    }
    auto countdown = std::make_shared<Countdown>(Countdown {int(toRead.size()), finish});
    for (const StoredProviderKey &key : std::as_const(toRead)) {
        SecretJob *job = store(key.location)->read(key.entry);
        connect(job, &SecretJob::finished, this, [this, key, loaded, countdown](SecretJob *finished) {
            if (finished->error() == SecretError::None) {
                m_cache.insert(key.entry, finished->secret());
                loaded->secrets.insert(key.entry, finished->secret());
            } else {
                loaded->problems.append(
                    QStringLiteral("key '%1' of provider '%2' (%3): %4")
                        .arg(key.label, key.provider, locationName(key.location), finished->errorString()));
            }
            countdown->step();
        });
    }
}

void ProviderKeyVault::eraseAll(std::function<void(Status)> done)
{
    auto keys = m_catalog.load();
    const QList<StoredProviderKey> all = keys ? keys.value() : QList<StoredProviderKey>();
    removeEntries(
        all, [this, done, catalogError = keys ? QString() : keys.error()](const QStringList &, QStringList failures) {
            const QDir dir = QFileInfo(m_catalog.path()).dir();
            for (const QString &name : {EncryptedFileSecretStore::fileName(), MasterKey::fileName()})
                QFile::remove(dir.filePath(name));
            m_cache.clear();
            // Without a readable catalog the keychain entries cannot be found: keep it for a retry.
            if (!catalogError.isEmpty())
                failures.append(catalogError
                                + QStringLiteral("; the keychain entries it lists were not deleted and it was kept"));
            if (!failures.isEmpty()) {
                done(Status::failure(failures.join(QStringLiteral("; "))));
                return;
            }
            QFile::remove(m_catalog.path());
            done(success());
        });
}

} // namespace sy::secrets
