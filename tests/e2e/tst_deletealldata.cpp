// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// `switchyard delete-all-data`: after a full run (usage recorded, client keys issued,
// provider keys in the keychain and in the encrypted file) it leaves nothing behind —
// no file, no keychain entry — and it refuses while a gateway uses the data dir or
// without --yes, deleting nothing then.
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "keychaincheck.h"
#include "mockupstream.h"
#include "sdkrunner.h"
#include "serveprocess.h"
#include "testhttpclient.h"

using namespace sy::testsupport;
using namespace sy::e2e;

namespace {

QStringList filesUnder(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    files.sort();
    return files;
}

} // namespace

class TestDeleteAllData : public QObject
{
    Q_OBJECT

private:
    static ProcessResult switchyard(const QStringList &arguments, const QByteArray &input = {})
    {
        return runProcess(ServeProcess::binaryPath(), arguments, QProcessEnvironment::systemEnvironment(), 60000,
                          input);
    }

    static void writeConfig(const QString &path, const QString &secretStore, const QUrl &upstream)
    {
        const QJsonObject config {
            {QStringLiteral("listen"), QStringLiteral("127.0.0.1:0")},
            {QStringLiteral("secret_store"), secretStore},
            {QStringLiteral("providers"),
             QJsonArray {QJsonObject {{QStringLiteral("id"), QStringLiteral("openai")},
                                      {QStringLiteral("base_url"), QString(upstream.toString() + u"/v1")}},
                         QJsonObject {{QStringLiteral("id"), QStringLiteral("anthropic")},
                                      {QStringLiteral("base_url"), upstream.toString()}}}}};
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(config).toJson());
    }

private slots:
    void initTestCase()
    {
        if (qEnvironmentVariable("SWITCHYARD_TEST_KEYCHAIN") != u"required"
            && qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("no Secret Service here: run through ./scripts/test.sh");
    }

    void leavesNothingBehind()
    {
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        QTemporaryDir root;
        // The config beside, not inside, the data dir: both places must end up empty.
        const QString data = QDir(root.path()).filePath(QStringLiteral("data"));
        const QString configDir = QDir(root.path()).filePath(QStringLiteral("config"));
        QVERIFY(QDir().mkpath(data) && QDir().mkpath(configDir));
        const QString configFile = QDir(configDir).filePath(QStringLiteral("config.json"));
        const QStringList where {u"--data-dir"_qs, data, u"--config"_qs, configFile};

        // One provider key in the keychain, one in the encrypted file.
        writeConfig(configFile, QStringLiteral("keychain"), upstream.baseUrl());
        QCOMPARE(
            switchyard(QStringList {u"provider-key"_qs, u"set"_qs, u"openai"_qs} + where, "sk-delete-me-openai-0001\n")
                .exitCode,
            0);
        writeConfig(configFile, QStringLiteral("encrypted-file"), upstream.baseUrl());
        QCOMPARE(switchyard(QStringList {u"provider-key"_qs, u"set"_qs, u"anthropic"_qs} + where,
                            "sk-delete-me-anthropic-0002\n")
                     .exitCode,
                 0);
        const QStringList entries = catalogKeychainEntries(data);
        QCOMPARE(entries.size(), 1);
        const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        QCOMPARE(entriesInKeychain(entries, environment), 1);
        const ProcessResult created = switchyard(QStringList {u"client-key"_qs, u"create"_qs, u"agent"_qs} + where);
        QCOMPARE(created.exitCode, 0);

        ServeProcess serve;
        QVERIFY2(serve.start(configFile, data), qPrintable(serve.errorString()));
        TestHttpClient client;
        QVERIFY(client.connectTo(serve.port()));
        client.send("POST", "/v1/chat/completions", {{"Authorization", "Bearer " + created.out.trimmed()}},
                    "{\"model\":\"gpt-4o-mini\",\"messages\":[]}");
        QVERIFY(client.waitForResponses(1));
        QCOMPARE(client.responses().first().status, 200);

        // Not from under a running gateway.
        const ProcessResult whileRunning = switchyard(QStringList {u"delete-all-data"_qs, u"--yes"_qs} + where);
        QCOMPARE(whileRunning.exitCode, 1);
        QVERIFY2(whileRunning.err.contains("stop it first"), whileRunning.err.constData());
        QVERIFY(serve.terminate());
        const QStringList before = filesUnder(root.path());
        QVERIFY(before.contains(QDir(data).filePath(QStringLiteral("usage.sqlite"))));
        QVERIFY(before.contains(QDir(data).filePath(QStringLiteral("secrets.enc"))));

        // Without --yes: a list, and nothing deleted.
        const ProcessResult dryRun = switchyard(QStringList {u"delete-all-data"_qs} + where);
        QCOMPARE(dryRun.exitCode, 2);
        QVERIFY(dryRun.out.contains("provider key openai/default in the keychain"));
        QVERIFY(dryRun.out.contains("usage.sqlite"));
        QCOMPARE(filesUnder(root.path()), before);
        QCOMPARE(entriesInKeychain(entries, environment), 1);

        const ProcessResult erased = switchyard(QStringList {u"delete-all-data"_qs, u"--yes"_qs} + where);
        QVERIFY2(erased.exitCode == 0, erased.err.constData());
        QCOMPARE(filesUnder(root.path()), QStringList());
        QVERIFY(!QFileInfo::exists(data));
        QVERIFY(!QFileInfo::exists(configDir));
        QCOMPARE(entriesInKeychain(entries, environment), 0);
    }

    void theStandardLocationsLeaveNoFolderBehind_data()
    {
        QTest::addColumn<QString>("existingDataDir"); // made before the run, as an earlier version left it
        QTest::addColumn<QString>("dataDir"); // where the files go
        QTest::addColumn<QString>("configDir");
        QTest::newRow("one level") << QString() << u".local/share/switchyard"_qs << u".config/switchyard"_qs;
        // 0.x kept both a level deeper, under the organisation's name: such a folder stays in use.
        QTest::newRow("0.x folder") << u".local/share/Switchyard/switchyard"_qs
                                    << u".local/share/Switchyard/switchyard"_qs << u".config/switchyard"_qs;
    }

    void theStandardLocationsLeaveNoFolderBehind()
    {
        QFETCH(QString, existingDataDir);
        QFETCH(QString, dataDir);
        QFETCH(QString, configDir);
        // No --data-dir, no --config: QStandardPaths, here under a home of the test's own.
        QTemporaryDir home;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"HOME"_qs, home.path());
        environment.insert(u"XDG_DATA_HOME"_qs, home.filePath(u".local/share"_qs));
        environment.insert(u"XDG_CONFIG_HOME"_qs, home.filePath(u".config"_qs));
        if (!existingDataDir.isEmpty())
            QVERIFY(QDir(home.path()).mkpath(existingDataDir));
        const QString binary = ServeProcess::binaryPath();
        QCOMPARE(runProcess(binary, {u"client-key"_qs, u"create"_qs, u"a"_qs}, environment).exitCode, 0);
        QVERIFY(QFileInfo::exists(home.filePath(dataDir + u"/clientkeys.json")));
        QTemporaryDir source;
        const QString imported = source.filePath(u"config.json"_qs);
        {
            QFile file(imported);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("{\"providers\": [{\"id\": \"openai\"}]}");
        }
        QCOMPARE(runProcess(binary, {u"config"_qs, u"import"_qs, imported}, environment).exitCode, 0);
        QVERIFY(QFileInfo::exists(home.filePath(configDir + u"/config.json")));
        QCOMPARE(filesUnder(home.path()).size(), 2); // the key hashes and the config
        QCOMPARE(runProcess(binary, {u"delete-all-data"_qs, u"--yes"_qs}, environment).exitCode, 0);
        QCOMPARE(filesUnder(home.path()), QStringList());
        for (const QString &folder : {u".local/share/switchyard"_qs, u".local/share/Switchyard"_qs,
                                      u".config/switchyard"_qs, u".config/Switchyard"_qs})
            QVERIFY2(!QFileInfo::exists(home.filePath(folder)), qPrintable(folder));
        QVERIFY(QFileInfo::exists(home.filePath(u".local/share"_qs))); // the platform's own stays
    }

    void leavesOtherFilesAlone()
    {
        QTemporaryDir dir;
        QFile mine(QDir(dir.path()).filePath(QStringLiteral("notes.txt")));
        QVERIFY(mine.open(QIODevice::WriteOnly));
        mine.write("not Switchyard's");
        mine.close();
        QCOMPARE(switchyard({u"client-key"_qs, u"create"_qs, u"a"_qs, u"--data-dir"_qs, dir.path()}).exitCode, 0);
        QCOMPARE(switchyard({u"delete-all-data"_qs, u"--yes"_qs, u"--data-dir"_qs, dir.path()}).exitCode, 0);
        QCOMPARE(filesUnder(dir.path()), QStringList {mine.fileName()});
    }
};

QTEST_GUILESS_MAIN(TestDeleteAllData)
#include "tst_deletealldata.moc"
