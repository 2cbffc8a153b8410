// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Provider keys through the real binary and the real stores: the Secret Service
// (gnome-keyring in a private D-Bus session, from ./scripts/test.sh), the encrypted file,
// and the fallback to it where no keychain answers. A key set while `serve` runs makes its
// provider usable without a restart; a removed key stops being used at once; no key, of
// a provider or a client, is ever in a file or a log line in plaintext.
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

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

const QByteArray kProviderKey = "sk-proj-e2e-provider-key-7f3a9c1d5e2b8f4a0c6d";

QProcessEnvironment withoutKeychain()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"})
        environment.remove(QString::fromLatin1(name));
    return environment;
}

bool keychainRequired()
{
    return qEnvironmentVariable("SWITCHYARD_TEST_KEYCHAIN") == u"required";
}

// Every encoding a careless writer might use.
QList<QByteArray> encodings(const QByteArray &secret)
{
    return {secret, secret.toBase64(), secret.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals),
            secret.toHex()};
}

// Names the file under `dir` that holds `secret` in any of its encodings; empty when none does.
QString fileHolding(const QString &dir, const QByteArray &secret)
{
    QDirIterator files(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        QFile file(files.next());
        if (!file.open(QIODevice::ReadOnly))
            return file.fileName() + QStringLiteral(" (unreadable)");
        const QByteArray content = file.readAll();
        for (const QByteArray &encoded : encodings(secret)) {
            if (content.contains(encoded))
                return file.fileName();
        }
    }
    return {};
}

} // namespace

class TestProviderKeys : public QObject
{
    Q_OBJECT

private:
    static ProcessResult switchyard(const QStringList &arguments, const QProcessEnvironment &environment,
                                    const QByteArray &input = {})
    {
        return runProcess(ServeProcess::binaryPath(), arguments, environment, 60000, input);
    }

    static int status(quint16 port, const QByteArray &clientKey)
    {
        TestHttpClient client;
        if (!client.connectTo(port))
            return -1;
        client.send("POST", "/v1/chat/completions", {{"Authorization", "Bearer " + clientKey}},
                    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        return client.waitForResponses(1) ? client.responses().first().status : -1;
    }

    // Runs `switchyard ARGS` on a pseudo-terminal, types `typed` once the prompt shows, and
    // returns everything the terminal displayed (what the program wrote and what the
    // terminal echoed).
    static QByteArray runOnTerminal(const QStringList &arguments, const QByteArray &typed)
    {
        int terminal = -1;
        const pid_t child = forkpty(&terminal, nullptr, nullptr, nullptr);
        if (child < 0)
            return {};
        if (child == 0) {
            const QByteArray program = ServeProcess::binaryPath().toLocal8Bit();
            QList<QByteArray> storage {program};
            for (const QString &argument : arguments)
                storage.append(argument.toLocal8Bit());
            std::vector<char *> argv;
            for (QByteArray &argument : storage)
                argv.push_back(argument.data());
            argv.push_back(nullptr);
            execv(program.constData(), argv.data());
            _exit(127);
        }
        QByteArray shown;
        bool typedIn = false;
        for (;;) {
            pollfd ready {terminal, POLLIN, 0};
            if (poll(&ready, 1, 10'000) <= 0)
                break; // nothing for 10 s: give up, the caller's checks fail
            char buffer[4096];
            const ssize_t got = read(terminal, buffer, sizeof buffer);
            if (got <= 0)
                break; // the program ended and closed the terminal
            shown.append(buffer, got);
            if (!typedIn && shown.contains("(input hidden)")) {
                typedIn = write(terminal, typed.constData(), size_t(typed.size())) == typed.size();
            }
        }
        close(terminal);
        int status = 0;
        waitpid(child, &status, 0);
        return shown;
    }

private slots:
    void aKeyTypedOnATerminalIsNotEchoed()
    {
        QTemporaryDir dir;
        const QByteArray shown = runOnTerminal(
            {u"provider-key"_qs, u"set"_qs, u"openai"_qs, u"--data-dir"_qs, dir.path()}, kProviderKey + '\n');
        QVERIFY2(shown.contains("(input hidden)"), shown.constData());
        QVERIFY2(shown.contains("stored key default for openai"), shown.constData());
        QVERIFY2(!shown.contains(kProviderKey), shown.constData());
        QCOMPARE(switchyard({u"provider-key"_qs, u"remove"_qs, u"openai"_qs, u"--data-dir"_qs, dir.path()},
                            QProcessEnvironment::systemEnvironment())
                     .exitCode,
                 0);
    }

    void setWhileServingThenRemove_data()
    {
        QTest::addColumn<QString>("secretStore");
        QTest::addColumn<bool>("keychainReachable");
        QTest::addColumn<QString>("expectedLocation");
        QTest::newRow("keychain") << QStringLiteral("keychain") << true << QStringLiteral("keychain");
        QTest::newRow("encrypted file") << QStringLiteral("encrypted-file") << true << QStringLiteral("encrypted-file");
        QTest::newRow("auto without a keychain") << QStringLiteral("auto") << false << QStringLiteral("encrypted-file");
    }

    void setWhileServingThenRemove()
    {
        QFETCH(QString, secretStore);
        QFETCH(bool, keychainReachable);
        QFETCH(QString, expectedLocation);
        if (expectedLocation == u"keychain" && !keychainRequired()
            && qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("no Secret Service here: run through ./scripts/test.sh");
        const QProcessEnvironment environment
            = keychainReachable ? QProcessEnvironment::systemEnvironment() : withoutKeychain();

        MockUpstream upstream;
        upstream.setRequiredKey(kProviderKey);
        QVERIFY(upstream.listen());
        QTemporaryDir dir;
        const QString data = dir.path();
        const QString configFile = QDir(data).filePath(QStringLiteral("config.json"));
        {
            // No api_key_env: the provider has no key until one is set.
            const QJsonObject config {{QStringLiteral("listen"), QStringLiteral("127.0.0.1:0")},
                                      {QStringLiteral("secret_store"), secretStore},
                                      {QStringLiteral("providers"),
                                       QJsonArray {QJsonObject {{QStringLiteral("id"), QStringLiteral("openai")},
                                                                {QStringLiteral("base_url"),
                                                                 QString(upstream.baseUrl().toString() + u"/v1")}}}}};
            QFile file(configFile);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QJsonDocument(config).toJson());
        }
        const QStringList where {QStringLiteral("--data-dir"), data};
        const ProcessResult client
            = switchyard(QStringList {u"client-key"_qs, u"create"_qs, u"agent"_qs} + where, environment);
        QCOMPARE(client.exitCode, 0);
        const QByteArray clientKey = client.out.trimmed();

        ServeProcess serve;
        serve.setEnvironment(environment);
        QVERIFY2(serve.start(configFile, data), qPrintable(serve.errorString()));
        QCOMPARE(status(serve.port(), clientKey), 401); // the provider's own refusal: no key yet

        const ProcessResult set = switchyard(QStringList {u"provider-key"_qs, u"set"_qs, u"openai"_qs} + where,
                                             environment, kProviderKey + '\n');
        QVERIFY2(set.exitCode == 0, set.err.constData());
        QVERIFY2(set.out.contains(expectedLocation.toUtf8()), set.out.constData());
        QVERIFY(!set.out.contains(kProviderKey));
        QTRY_COMPARE_WITH_TIMEOUT(status(serve.port(), clientKey), 200, 10000); // no restart
        QCOMPARE(upstream.lastRequest().header("authorization"), "Bearer " + kProviderKey);

        // A second key joins the pool; `list` tells them apart by their last four only.
        const ProcessResult second
            = switchyard(QStringList {u"provider-key"_qs, u"set"_qs, u"openai"_qs, u"--label"_qs, u"backup"_qs} + where,
                         environment, "sk-proj-e2e-second-key-0000000000000000wxyz\n");
        QCOMPARE(second.exitCode, 0);
        const ProcessResult list = switchyard(QStringList {u"provider-key"_qs, u"list"_qs} + where, environment);
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains(QByteArray("openai\tdefault\t" + expectedLocation.toUtf8() + "\t…0c6d")),
                 list.out.constData());
        QVERIFY(list.out.contains("openai\tbackup\t"));
        QVERIFY(list.out.contains("…wxyz"));
        QVERIFY(!list.out.contains(kProviderKey));

        const QStringList entries = catalogKeychainEntries(data);
        if (expectedLocation == u"keychain") {
            QCOMPARE(entries.size(), 2);
            QCOMPARE(entriesInKeychain(entries, environment), 2);
        } else {
            QVERIFY(QFile::exists(QDir(data).filePath(QStringLiteral("secrets.enc"))));
        }

        QCOMPARE(switchyard(QStringList {u"provider-key"_qs, u"remove"_qs, u"openai"_qs} + where, environment).exitCode,
                 0);
        // The pool held two keys taking turns, so one refusal proves nothing: three in a row
        // do (each key gets a turn), and they must come once serve has re-read its keys.
        const auto refusedEveryTurn = [&serve, &clientKey] {
            for (int turn = 0; turn < 3; ++turn) {
                if (status(serve.port(), clientKey) != 401)
                    return false;
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(refusedEveryTurn(), 10000); // deleted, not flagged
        if (expectedLocation == u"keychain")
            QCOMPARE(entriesInKeychain(entries, environment), 0);
        QVERIFY(serve.terminate());

        // No key in plaintext, in any encoding, in any file of the data dir (which holds the
        // config, the database, the catalog and the encrypted file) or in the logs.
        for (const QByteArray &secret :
             {kProviderKey, QByteArray("sk-proj-e2e-second-key-0000000000000000wxyz"), clientKey}) {
            const QString holder = fileHolding(data, secret);
            QVERIFY2(holder.isEmpty(), qPrintable(holder));
            QVERIFY(!serve.output().contains(secret));
        }
    }
};

QTEST_GUILESS_MAIN(TestProviderKeys)
#include "tst_providerkeys.moc"
