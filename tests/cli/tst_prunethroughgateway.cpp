// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// With a gateway running on the data dir, `prune` goes through it over the control channel
// (its store writer stays the one SQLite writer) and `delete-all-data` refuses, naming the
// process and how to stop it. Real host, real socket, real SQLite file.
#include <QSaveFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "commandrun.h"
#include "host/host.h"
#include "hoststart.h"
#include "mockupstream.h"
#include "testhttpclient.h"

using namespace sy;
using sy::host::Host;
using sy::testsupport::runCommand;

class TestPruneThroughGateway : public QObject
{
    Q_OBJECT

private slots:
    void pruneGoesThroughTheRunningGateway()
    {
        testsupport::MockUpstream upstream;
        QVERIFY(upstream.listen());
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config.json"));
        QSaveFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"listen\": \"127.0.0.1:0\", \"auth\": {\"require_client_key\": false}, \"providers\": [{\"id\": "
                   "\"local\", \"kind\": \"openai-compatible\", \"base_url\": \""
                   + upstream.baseUrl().toString().toUtf8() + "/v1\"}]}");
        QVERIFY(file.commit());
        const host::DataLocation location = host::DataLocation::named(dir.path(), config);

        // Nothing runs yet: prune opens the database itself (there is none).
        const auto alone = runCommand({QStringLiteral("prune"), QStringLiteral("--data-dir"), dir.path()});
        QCOMPARE(alone.code, 0);
        QVERIFY2(alone.out.contains("nothing to prune"), alone.out.constData());

        Host host(location);
        QVERIFY(testsupport::startHost(host));
        testsupport::TestHttpClient client;
        QVERIFY(client.connectTo(testsupport::hostPort(host)));
        client.send("POST", "/v1/chat/completions", {{"Content-Type", "application/json"}},
                    R"({"model":"local/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})");
        QVERIFY(client.waitForResponses(1));

        QSignalSpy pruned(&host, &Host::pruned);
        const int before = int(pruned.size());
        const auto through = runCommand({QStringLiteral("prune"), QStringLiteral("--data-dir"), dir.path()});
        QCOMPARE(through.code, 0);
        const QByteArray expected = QByteArray("through the running gateway (pid ")
            + QByteArray::number(QCoreApplication::applicationPid()) + QByteArray(")");
        QVERIFY2(through.out.contains(expected), through.out.constData());
        QVERIFY(pruned.size() > before); // the host's writer ran it

        // Another retention than the gateway's cannot go through it: refused, nothing changes.
        const auto other = runCommand({QStringLiteral("prune"), QStringLiteral("--data-dir"), dir.path(),
                                       QStringLiteral("--retention-months"), QStringLiteral("1")});
        QCOMPARE(other.code, 2);
        QVERIFY2(other.err.contains("a gateway runs on"), other.err.constData());

        // delete-all-data refuses while it runs and says how to stop it.
        const auto erase = runCommand({QStringLiteral("delete-all-data"), QStringLiteral("--yes"),
                                       QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--config"), config});
        QCOMPARE(erase.code, 1);
        QVERIFY2(erase.err.contains("kill -TERM"), erase.err.constData());
        QVERIFY(QFile::exists(config));

        // The gateway still serves after all of it.
        testsupport::TestHttpClient later;
        QVERIFY(later.connectTo(testsupport::hostPort(host)));
        later.send("POST", "/v1/chat/completions", {{"Content-Type", "application/json"}},
                   R"({"model":"local/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})");
        QVERIFY(later.waitForResponses(1));
        QCOMPARE(later.responses().constFirst().status, 200);
    }
};

QTEST_GUILESS_MAIN(TestPruneThroughGateway)
#include "tst_prunethroughgateway.moc"
