// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "secrets/encryptedfilesecretstore.h"
#include "secrets/keychainsecretstore.h"
#include "secrets/masterkey.h"
#include "secrets/providerkeyvault.h"
#include "secrets/secretjob.h"

using namespace sy;
using namespace sy::secrets;

namespace {

const QString kService = QStringLiteral("switchyard-test");
const QByteArray kKeyOne = "sk-proj-vault-key-one-0000000000001111";
const QByteArray kKeyTwo = "sk-proj-vault-key-two-0000000000002222";

// A keychain that is not there, as on a server without a session bus.
class AbsentKeychain final : public SecretStore
{
public:
    SecretLocation location() const override { return SecretLocation::Keychain; }
    SecretJob *read(const QString &) override { return absent(); }
    SecretJob *write(const QString &, const QByteArray &) override { return absent(); }
    SecretJob *remove(const QString &) override { return absent(); }

private:
    static SecretJob *absent()
    {
        auto *job = new SecretJob;
        job->failLater(SecretError::Unavailable, QStringLiteral("no keychain"));
        return job;
    }
};

template<typename T>
T waitFor(const std::function<void(std::function<void(T)>)> &start)
{
    std::optional<T> answer;
    start([&](T value) { answer.emplace(std::move(value)); });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 15'000))
        qFatal("the vault never answered");
    return std::move(*answer);
}

struct Loaded
{
    ProviderKeyring keys;
    QStringList problems;
};

QByteArray fileContents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestProviderKeyVault : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qunsetenv(MasterKey::kEnvironmentVariable);
        // ./scripts/test.sh runs every test inside a private D-Bus session with an unlocked
        // gnome-keyring; there the real Secret Service must answer.
        KeychainSecretStore probe(kService);
        m_keychain = writeWorks(probe);
        if (!m_keychain && qEnvironmentVariable("SWITCHYARD_TEST_KEYCHAIN") == u"required")
            QFAIL("no Secret Service answers, but SWITCHYARD_TEST_KEYCHAIN=required");
    }

    void init() { m_dir = std::make_unique<QTemporaryDir>(); }

    void setStoresInTheKeychainAndLoads()
    {
        requireKeychain();
        ProviderKeyVault vault = keychainVault(StorePreference::Auto);
        const auto stored = set(vault, QStringLiteral("openai"), QStringLiteral("default"), kKeyOne);
        QVERIFY2(stored.ok(), qPrintable(stored.error()));
        QCOMPARE(stored->location, SecretLocation::Keychain);
        QCOMPARE(stored->last4, QStringLiteral("1111"));
        QVERIFY(stored->entry.startsWith(QStringLiteral("openai/")));

        // The secret is in the Secret Service under that entry, and nowhere on disk.
        KeychainSecretStore keychain(kService);
        QCOMPARE(readSecret(keychain, stored->entry), kKeyOne);
        QVERIFY(!fileContents(vault.catalogPath()).contains(kKeyOne));
        QVERIFY(!QFile::exists(QDir(m_dir->path()).filePath(EncryptedFileSecretStore::fileName())));

        // A second vault (another process, say) loads it from the keychain.
        ProviderKeyVault other = keychainVault(StorePreference::Auto);
        const Loaded loaded = load(other);
        QVERIFY(loaded.problems.isEmpty());
        QCOMPARE(loaded.keys.value(QStringLiteral("openai")).size(), 1);
        QCOMPARE(loaded.keys.value(QStringLiteral("openai")).first().secret, kKeyOne);
        QVERIFY(remove(vault, QStringLiteral("openai"), {}).ok());
    }

    void severalLabelsFormAPoolAndSettingAgainReplaces()
    {
        requireKeychain();
        ProviderKeyVault vault = keychainVault(StorePreference::Auto);
        const auto first = set(vault, QStringLiteral("openai"), QStringLiteral("a"), kKeyOne);
        QVERIFY(set(vault, QStringLiteral("openai"), QStringLiteral("b"), kKeyTwo).ok());
        QCOMPARE(load(vault).keys.value(QStringLiteral("openai")).size(), 2);

        const auto replacement
            = set(vault, QStringLiteral("openai"), QStringLiteral("a"), "sk-replacement-key-000000003333");
        QVERIFY(replacement.ok());
        const QList<ProviderKey> pool = load(vault).keys.value(QStringLiteral("openai"));
        QCOMPARE(pool.size(), 2);
        QCOMPARE(pool.at(0).label, QStringLiteral("b"));
        QCOMPARE(pool.at(1).secret, QByteArray("sk-replacement-key-000000003333"));
        // The replaced key left the keychain: deleted, not flagged.
        KeychainSecretStore keychain(kService);
        QCOMPARE(readError(keychain, first->entry), SecretError::NotFound);
        QCOMPARE(vault.list()->size(), 2);
        QVERIFY(remove(vault, QStringLiteral("openai"), {}).ok());
    }

    void removeDeletesFromTheKeychainAtOnce()
    {
        requireKeychain();
        ProviderKeyVault vault = keychainVault(StorePreference::Auto);
        const auto a = set(vault, QStringLiteral("openai"), QStringLiteral("a"), kKeyOne);
        const auto b = set(vault, QStringLiteral("openai"), QStringLiteral("b"), kKeyTwo);
        const auto removed = remove(vault, QStringLiteral("openai"), QStringLiteral("a"));
        QVERIFY2(removed.ok(), qPrintable(removed.error()));
        QCOMPARE(removed.value(), 1);
        KeychainSecretStore keychain(kService);
        QCOMPARE(readError(keychain, a->entry), SecretError::NotFound);
        QCOMPARE(readSecret(keychain, b->entry), kKeyTwo);
        QCOMPARE(vault.list()->size(), 1);
        QVERIFY(!remove(vault, QStringLiteral("openai"), QStringLiteral("a")).ok()); // nothing left by that name
        QCOMPARE(remove(vault, QStringLiteral("openai"), {}).value(), 1);
        QCOMPARE(readError(keychain, b->entry), SecretError::NotFound);
        QVERIFY(vault.list()->isEmpty());
    }

    void withoutAKeychainKeysGoToTheEncryptedFile()
    {
        ProviderKeyVault vault(m_dir->path(), StorePreference::Auto, std::make_unique<AbsentKeychain>(),
                               std::make_unique<EncryptedFileSecretStore>(m_dir->path()));
        const auto stored = set(vault, QStringLiteral("anthropic"), QStringLiteral("default"), kKeyOne);
        QVERIFY2(stored.ok(), qPrintable(stored.error()));
        QCOMPARE(stored->location, SecretLocation::EncryptedFile);
        const QString encrypted = QDir(m_dir->path()).filePath(EncryptedFileSecretStore::fileName());
        QVERIFY(QFile::exists(encrypted));
        QVERIFY(!fileContents(encrypted).contains(kKeyOne));

        ProviderKeyVault other(m_dir->path(), StorePreference::Auto, std::make_unique<AbsentKeychain>(),
                               std::make_unique<EncryptedFileSecretStore>(m_dir->path()));
        QCOMPARE(load(other).keys.value(QStringLiteral("anthropic")).first().secret, kKeyOne);
    }

    void anExplicitKeychainDoesNotFallBack()
    {
        ProviderKeyVault vault(m_dir->path(), StorePreference::Keychain, std::make_unique<AbsentKeychain>(),
                               std::make_unique<EncryptedFileSecretStore>(m_dir->path()));
        const auto stored = set(vault, QStringLiteral("openai"), QStringLiteral("default"), kKeyOne);
        QVERIFY(!stored.ok());
        QVERIFY(vault.list()->isEmpty()); // the pending entry was taken back
        QVERIFY(!QFile::exists(QDir(m_dir->path()).filePath(EncryptedFileSecretStore::fileName())));
    }

    void unreadableKeysAreReportedAndLeftOut()
    {
        ProviderKeyVault vault(m_dir->path(), StorePreference::EncryptedFile, std::make_unique<AbsentKeychain>(),
                               std::make_unique<EncryptedFileSecretStore>(m_dir->path()));
        QVERIFY(set(vault, QStringLiteral("openai"), QStringLiteral("default"), kKeyOne).ok());
        QVERIFY(QFile::remove(QDir(m_dir->path()).filePath(MasterKey::fileName())));
        ProviderKeyVault fresh(m_dir->path(), StorePreference::EncryptedFile, std::make_unique<AbsentKeychain>(),
                               std::make_unique<EncryptedFileSecretStore>(m_dir->path()));
        const Loaded loaded = load(fresh);
        QVERIFY(loaded.keys.isEmpty());
        QCOMPARE(loaded.problems.size(), 1);
        QVERIFY(loaded.problems.first().contains(QStringLiteral("openai")));
        QVERIFY(!loaded.problems.first().contains(QString::fromLatin1(kKeyOne)));
    }

    void eraseAllLeavesNothing()
    {
        requireKeychain();
        ProviderKeyVault vault = keychainVault(StorePreference::Auto);
        const auto inKeychain = set(vault, QStringLiteral("openai"), QStringLiteral("default"), kKeyOne);
        ProviderKeyVault fileVault(m_dir->path(), StorePreference::EncryptedFile,
                                   std::make_unique<KeychainSecretStore>(kService),
                                   std::make_unique<EncryptedFileSecretStore>(m_dir->path()));
        QVERIFY(set(fileVault, QStringLiteral("anthropic"), QStringLiteral("default"), kKeyTwo).ok());
        QCOMPARE(vault.list()->size(), 2);

        const Status erased = waitFor<Status>([&](auto done) { vault.eraseAll(done); });
        QVERIFY2(erased.ok(), qPrintable(erased.error()));
        KeychainSecretStore keychain(kService);
        QCOMPARE(readError(keychain, inKeychain->entry), SecretError::NotFound);
        QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden), QStringList());
    }

    void eraseAllKeepsADamagedCatalog()
    {
        ProviderKeyVault vault(m_dir->path(), StorePreference::EncryptedFile, std::make_unique<AbsentKeychain>(),
                               std::make_unique<EncryptedFileSecretStore>(m_dir->path()));
        QVERIFY(set(vault, QStringLiteral("openai"), QStringLiteral("default"), kKeyOne).ok());
        {
            QFile catalog(vault.catalogPath());
            QVERIFY(catalog.open(QIODevice::WriteOnly));
            catalog.write("[{\"provider\": ");
        }
        const Status erased = waitFor<Status>([&](auto done) { vault.eraseAll(done); });
        QVERIFY(!erased.ok());
        QVERIFY2(erased.error().contains(QStringLiteral("damaged")), qPrintable(erased.error()));
        QVERIFY(QFile::exists(vault.catalogPath())); // kept: it is the only list of keychain entries
        QVERIFY(!QFile::exists(QDir(m_dir->path()).filePath(EncryptedFileSecretStore::fileName())));
    }

private:
    void requireKeychain()
    {
        if (!m_keychain)
            QSKIP("no Secret Service here: run through ./scripts/test.sh");
    }

    ProviderKeyVault keychainVault(StorePreference preference)
    {
        return ProviderKeyVault(m_dir->path(), preference, std::make_unique<KeychainSecretStore>(kService),
                                std::make_unique<EncryptedFileSecretStore>(m_dir->path()));
    }

    static Result<StoredProviderKey> set(ProviderKeyVault &vault, const QString &provider, const QString &label,
                                         const QByteArray &secret)
    {
        return waitFor<Result<StoredProviderKey>>([&](auto done) { vault.set(provider, label, secret, done); });
    }

    static Result<int> remove(ProviderKeyVault &vault, const QString &provider, const QString &label)
    {
        return waitFor<Result<int>>([&](auto done) { vault.remove(provider, label, done); });
    }

    static Loaded load(ProviderKeyVault &vault)
    {
        return waitFor<Loaded>([&](auto done) {
            vault.load([done](ProviderKeyring keys, QStringList problems) { done(Loaded {keys, problems}); });
        });
    }

    static QByteArray readSecret(SecretStore &store, const QString &entry)
    {
        return waitFor<QByteArray>([&](auto done) {
            QObject::connect(store.read(entry), &SecretJob::finished, [done](SecretJob *job) { done(job->secret()); });
        });
    }

    static SecretError readError(SecretStore &store, const QString &entry)
    {
        return waitFor<SecretError>([&](auto done) {
            QObject::connect(store.read(entry), &SecretJob::finished, [done](SecretJob *job) { done(job->error()); });
        });
    }

    static bool writeWorks(SecretStore &store)
    {
        const QString entry = QStringLiteral("probe/write");
        const bool written = waitFor<bool>([&](auto done) {
            QObject::connect(store.write(entry, "probe"), &SecretJob::finished,
                             [done](SecretJob *job) { done(job->error() == SecretError::None); });
        });
        if (written)
            waitFor<bool>([&](auto done) {
                QObject::connect(store.remove(entry), &SecretJob::finished, [done](SecretJob *) { done(true); });
            });
        return written;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    bool m_keychain = false;
};

QTEST_GUILESS_MAIN(TestProviderKeyVault)
#include "tst_providerkeyvault.moc"
