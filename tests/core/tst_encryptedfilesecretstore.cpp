// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "secrets/encryptedfilesecretstore.h"
#include "secrets/masterkey.h"
#include "secrets/secretjob.h"

using namespace sy::secrets;

namespace {

const QByteArray kSecret = "sk-proj-encrypted-file-secret-4242";
// 32 bytes, base64: one master key and another.
const QByteArray kKeyA = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const QByteArray kKeyB = "HxwdHhsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA=";

struct Outcome
{
    SecretError error = SecretError::Failed;
    QString message;
    QByteArray secret;
};

// Waits for a job's answer, which never comes inside the call that made it.
Outcome wait(SecretJob *job)
{
    Outcome outcome;
    bool answered = false;
    QObject::connect(job, &SecretJob::finished, job, [&](SecretJob *finished) {
        outcome = {finished->error(), finished->errorString(), finished->secret()};
        answered = true;
    });
    if (answered)
        qFatal("a job answered inside the call that made it");
    if (!QTest::qWaitFor([&] { return answered; }, 5000))
        qFatal("a secret job never answered");
    return outcome;
}

QByteArray contents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// 0600: the owner reads and writes, nobody else does anything.
bool isPrivate(const QString &path)
{
    const QFileDevice::Permissions permissions = QFile::permissions(path);
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
        | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    return (permissions & QFileDevice::ReadOwner) && (permissions & QFileDevice::WriteOwner) && !(permissions & others);
}

} // namespace

class TestEncryptedFileSecretStore : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        qunsetenv(MasterKey::kEnvironmentVariable);
        m_dir = std::make_unique<QTemporaryDir>();
    }

    void cleanup() { qunsetenv(MasterKey::kEnvironmentVariable); }

    void writesThenReadsBack()
    {
        EncryptedFileSecretStore store(m_dir->path());
        QCOMPARE(wait(store.write(QStringLiteral("openai/a1"), kSecret)).error, SecretError::None);
        QCOMPARE(wait(store.write(QStringLiteral("openai/b2"), "second")).error, SecretError::None);
        const Outcome read = wait(store.read(QStringLiteral("openai/a1")));
        QCOMPARE(read.error, SecretError::None);
        QCOMPARE(read.secret, kSecret);
        QCOMPARE(wait(store.read(QStringLiteral("openai/b2"))).secret, QByteArray("second"));
        QCOMPARE(wait(store.read(QStringLiteral("openai/none"))).error, SecretError::NotFound);
    }

    void fileHoldsNoPlaintextAndIsPrivate()
    {
        EncryptedFileSecretStore store(m_dir->path());
        QCOMPARE(wait(store.write(QStringLiteral("openai/a1"), kSecret)).error, SecretError::None);
        const QByteArray file = contents(store.path());
        QVERIFY(file.startsWith("SYSECv1\n"));
        QVERIFY(!file.contains(kSecret));
        QVERIFY(!file.contains(kSecret.toBase64()));
        QVERIFY(!file.contains("openai/a1")); // entry names are sealed too
        QVERIFY(isPrivate(store.path()));
        QVERIFY(isPrivate(QDir(m_dir->path()).filePath(MasterKey::fileName())));
    }

    void everyWriteUsesAFreshNonce()
    {
        EncryptedFileSecretStore store(m_dir->path());
        QCOMPARE(wait(store.write(QStringLiteral("x/1"), kSecret)).error, SecretError::None);
        const QByteArray first = contents(store.path());
        QCOMPARE(wait(store.write(QStringLiteral("x/1"), kSecret)).error, SecretError::None);
        const QByteArray second = contents(store.path());
        QCOMPARE(first.size(), second.size());
        QVERIFY(first.mid(8, 12) != second.mid(8, 12)); // the 96-bit nonce after the magic
        QVERIFY(first != second);
    }

    void wrongMasterKeyIsAClearErrorAndOverwritesNothing()
    {
        qputenv(MasterKey::kEnvironmentVariable, kKeyA);
        EncryptedFileSecretStore store(m_dir->path());
        QCOMPARE(wait(store.write(QStringLiteral("openai/a1"), kSecret)).error, SecretError::None);
        const QByteArray before = contents(store.path());
        QVERIFY(!QFile::exists(QDir(m_dir->path()).filePath(MasterKey::fileName()))); // the variable, not a file

        qputenv(MasterKey::kEnvironmentVariable, kKeyB);
        const Outcome read = wait(store.read(QStringLiteral("openai/a1")));
        QCOMPARE(read.error, SecretError::Failed);
        QVERIFY2(read.message.contains(QStringLiteral("master key")), qPrintable(read.message));
        QVERIFY(read.secret.isEmpty());
        QCOMPARE(wait(store.write(QStringLiteral("openai/b2"), "other")).error, SecretError::Failed);
        QCOMPARE(wait(store.remove(QStringLiteral("openai/a1"))).error, SecretError::Failed);
        QCOMPARE(contents(store.path()), before);

        qputenv(MasterKey::kEnvironmentVariable, kKeyA);
        QCOMPARE(wait(store.read(QStringLiteral("openai/a1"))).secret, kSecret);
    }

    void tamperedFileIsAClearErrorAndOverwritesNothing_data()
    {
        QTest::addColumn<int>("offset");
        QTest::newRow("magic") << 0;
        QTest::newRow("nonce") << 10;
        QTest::newRow("ciphertext") << 24;
        QTest::newRow("tag") << -1;
    }

    void tamperedFileIsAClearErrorAndOverwritesNothing()
    {
        QFETCH(int, offset);
        EncryptedFileSecretStore store(m_dir->path());
        QCOMPARE(wait(store.write(QStringLiteral("openai/a1"), kSecret)).error, SecretError::None);
        QByteArray bytes = contents(store.path());
        const qsizetype at = offset < 0 ? bytes.size() - 1 : offset;
        bytes[at] = char(bytes.at(at) ^ 0x01);
        {
            QFile file(store.path());
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(bytes);
        }
        const Outcome read = wait(store.read(QStringLiteral("openai/a1")));
        QCOMPARE(read.error, SecretError::Failed);
        QVERIFY(read.secret.isEmpty());
        QCOMPARE(wait(store.write(QStringLiteral("openai/a1"), "replacement")).error, SecretError::Failed);
        QCOMPARE(contents(store.path()), bytes);
    }

    void malformedMasterKeyVariableIsRefused()
    {
        qputenv(MasterKey::kEnvironmentVariable, "not-a-key");
        EncryptedFileSecretStore store(m_dir->path());
        const Outcome write = wait(store.write(QStringLiteral("openai/a1"), kSecret));
        QCOMPARE(write.error, SecretError::Unavailable);
        QVERIFY2(write.message.contains(QLatin1StringView(MasterKey::kEnvironmentVariable)), qPrintable(write.message));
        QVERIFY(!QFile::exists(store.path()));
    }

    void hexMasterKeyWorks()
    {
        qputenv(MasterKey::kEnvironmentVariable, QByteArray::fromBase64(kKeyA).toHex());
        EncryptedFileSecretStore store(m_dir->path());
        QCOMPARE(wait(store.write(QStringLiteral("openai/a1"), kSecret)).error, SecretError::None);
        qputenv(MasterKey::kEnvironmentVariable, kKeyA); // the same key as base64
        QCOMPARE(wait(store.read(QStringLiteral("openai/a1"))).secret, kSecret);
    }

    void keyFileReadableByOthersIsRefused()
    {
        EncryptedFileSecretStore store(m_dir->path());
        QCOMPARE(wait(store.write(QStringLiteral("openai/a1"), kSecret)).error, SecretError::None);
        const QString keyFile = QDir(m_dir->path()).filePath(MasterKey::fileName());
        QFile::setPermissions(keyFile, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
        const Outcome read = wait(store.read(QStringLiteral("openai/a1")));
        QCOMPARE(read.error, SecretError::Unavailable);
        QVERIFY2(read.message.contains(QStringLiteral("chmod 600")), qPrintable(read.message));
    }

    void fileWithoutItsKeyIsNotReplaced()
    {
        EncryptedFileSecretStore store(m_dir->path());
        QCOMPARE(wait(store.write(QStringLiteral("openai/a1"), kSecret)).error, SecretError::None);
        const QByteArray before = contents(store.path());
        QVERIFY(QFile::remove(QDir(m_dir->path()).filePath(MasterKey::fileName())));
        QCOMPARE(wait(store.read(QStringLiteral("openai/a1"))).error, SecretError::Unavailable);
        // A write makes a new key, which then cannot open the old file: refused.
        QCOMPARE(wait(store.write(QStringLiteral("openai/b2"), "other")).error, SecretError::Failed);
        QCOMPARE(contents(store.path()), before);
    }

    void removeDeletesAtOnce()
    {
        EncryptedFileSecretStore store(m_dir->path());
        QCOMPARE(wait(store.remove(QStringLiteral("openai/none"))).error, SecretError::None); // nothing there
        QCOMPARE(wait(store.write(QStringLiteral("openai/a1"), kSecret)).error, SecretError::None);
        QCOMPARE(wait(store.remove(QStringLiteral("openai/a1"))).error, SecretError::None);
        QCOMPARE(wait(store.read(QStringLiteral("openai/a1"))).error, SecretError::NotFound);
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_GUILESS_MAIN(TestEncryptedFileSecretStore)
#include "tst_encryptedfilesecretstore.moc"
