// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Client keys through the real binary: `client-key create` prints a key once and keeps
// only its hash; a running `serve` accepts it, and refuses it on the next request after
// `client-key revoke`, without a restart.
#include <QDirIterator>
#include <QJsonArray>
#include <QTest>

#include "mockupstream.h"
#include "sdkrunner.h"
#include "serveprocess.h"
#include "testhttpclient.h"

using namespace sy::testsupport;
using namespace sy::e2e;

class TestClientKeys : public QObject
{
    Q_OBJECT

private:
    static ProcessResult switchyard(const QStringList &arguments)
    {
        return runProcess(ServeProcess::binaryPath(), arguments);
    }

    static int status(quint16 port, const QByteArray &key)
    {
        TestHttpClient client;
        if (!client.connectTo(port))
            return -1;
        client.send("POST", "/v1/chat/completions", {{"Authorization", "Bearer " + key}},
                    "{\"model\":\"gpt-4o-mini\",\"messages\":[]}");
        return client.waitForResponses(1) ? client.responses().first().status : -1;
    }

private slots:
    void createUseRevoke()
    {
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        QTemporaryDir dir;
        const QString data = dir.path();

        const ProcessResult created
            = switchyard({u"client-key"_qs, u"create"_qs, u"agent-1"_qs, u"--data-dir"_qs, data});
        QCOMPARE(created.exitCode, 0);
        const QByteArray key = created.out.trimmed();
        QVERIFY(key.startsWith("sy-"));
        QCOMPARE(key.size(), qsizetype(3 + 43)); // 256 bits, base64url
        QCOMPARE(switchyard({u"client-key"_qs, u"create"_qs, u"agent-1"_qs, u"--data-dir"_qs, data}).exitCode,
                 1); // names are unique
        const ProcessResult expired = switchyard(
            {u"client-key"_qs, u"create"_qs, u"old"_qs, u"--expires"_qs, u"2020-01-01"_qs, u"--data-dir"_qs, data});
        QCOMPARE(expired.exitCode, 0);

        const ProcessResult list = switchyard({u"client-key"_qs, u"list"_qs, u"--data-dir"_qs, data});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains(QByteArray("agent-1\t" + key.left(7))));
        QVERIFY(!list.out.contains(key));

        QFile config(QDir(data).filePath(u"config.json"_qs));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("{\"listen\": \"127.0.0.1:0\", \"providers\": [{\"id\": \"openai\", \"base_url\": \""
                     + upstream.baseUrl().toString().toUtf8() + "/v1\"}]}");
        config.close();
        ServeProcess serve;
        QVERIFY2(serve.start(config.fileName(), data), qPrintable(serve.errorString()));

        QCOMPARE(status(serve.port(), key), 200);
        QCOMPARE(status(serve.port(), expired.out.trimmed()), 401);
        QCOMPARE(status(serve.port(), "sy-not-a-key"), 401);

        // Last use is read from the usage history (committed within a batch window).
        QTRY_VERIFY_WITH_TIMEOUT(switchyard({u"client-key"_qs, u"list"_qs, u"--data-dir"_qs, data})
                                     .out.contains(QByteArray("agent-1\t" + key.left(7) + "…\tcreated ")),
                                 5000);
        QTRY_VERIFY_WITH_TIMEOUT(
            switchyard({u"client-key"_qs, u"list"_qs, u"--data-dir"_qs, data}).out.contains("\tlast used 20"), 5000);
        QCOMPARE(switchyard({u"client-key"_qs, u"revoke"_qs, u"agent-1"_qs, u"--data-dir"_qs, data}).exitCode, 0);
        QTRY_COMPARE_WITH_TIMEOUT(status(serve.port(), key), 401, 5000); // no restart
        QVERIFY(serve.terminate());
        const ProcessResult listed = switchyard({u"client-key"_qs, u"list"_qs, u"--data-dir"_qs, data});
        QVERIFY2(listed.out.contains("old\t"), listed.out.constData());
        QVERIFY2(listed.out.contains("\tnever used"), listed.out.constData()); // the expired key never got in

        // Only hashes at rest: the key appears in no file of the data dir.
        QDirIterator files(data, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains(key), qPrintable(file.fileName()));
        }
        QVERIFY(!serve.output().contains(key));
    }
};

QTEST_GUILESS_MAIN(TestClientKeys)
#include "tst_clientkeys.moc"
