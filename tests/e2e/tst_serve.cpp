// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// `switchyard serve` as a process: its contract (listening line, /healthz), graceful
// SIGTERM with a stream in flight, and clear refusals of bad configs.
#include <csignal>

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include "mockupstream.h"
#include "serveprocess.h"
#include "testhttpclient.h"

using namespace sy::testsupport;

class TestServe : public QObject
{
    Q_OBJECT

private:
    static QJsonObject configFor(const MockUpstream &upstream)
    {
        return {{QStringLiteral("listen"), QStringLiteral("127.0.0.1:0")},
                {QStringLiteral("auth"), QJsonObject {{QStringLiteral("require_client_key"), false}}},
                {QStringLiteral("providers"),
                 QJsonArray {QJsonObject {{QStringLiteral("id"), QStringLiteral("openai")},
                                          {QStringLiteral("base_url"), upstream.baseUrl().toString()}}}}};
    }

private slots:
    void sigtermLetsTheStreamInFlightFinish()
    {
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        upstream.setStreamDelay(150);
        ServeProcess serve;
        QVERIFY2(serve.start(configFor(upstream)), qPrintable(serve.errorString()));
        QVERIFY(serve.standardOutput().startsWith("listening on http://127.0.0.1:"));

        TestHttpClient health;
        QVERIFY(health.connectTo(serve.port()));
        health.send("GET", "/healthz", {});
        QVERIFY(health.waitForResponses(1));
        QCOMPARE(health.responses().first().status, 200);

        TestHttpClient client;
        QVERIFY(client.connectTo(serve.port()));
        client.send(
            "POST", "/v1/chat/completions", {{"Content-Type", "application/json"}},
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        QVERIFY(client.waitForBody(1));
        QVERIFY(::kill(pid_t(serve.processId()), SIGTERM) == 0);

        QVERIFY2(client.waitForResponses(1), // the stream runs to its end...
                 QByteArray(client.current().body + "\n---\n" + serve.output()).constData());
        QVERIFY(client.responses().first().body.contains("data: [DONE]"));
        QVERIFY(serve.waitForExit()); // ...then the process exits on its own
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);

        TestHttpClient late;
        QVERIFY(!late.connectTo(serve.port(), 500)); // nobody listens any more
    }

    void badConfigsAreRefusedWithTheReason_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QByteArray>("reason");
        QTest::newRow("not json") << QByteArray("{\"listen\": ") << QByteArray("not valid JSON");
        QTest::newRow("open and unauthenticated")
            << QByteArray("{\"listen\": \"0.0.0.0:0\", \"auth\": {\"require_client_key\": false}}")
            << QByteArray("loopback");
        QTest::newRow("plain http upstream")
            << QByteArray("{\"providers\": [{\"id\": \"openai\", \"base_url\": \"http://api.openai.com/v1\"}]}")
            << QByteArray("https");
        QTest::newRow("unknown kind") << QByteArray(
            "{\"providers\": [{\"id\": \"x\", \"kind\": \"gemini\", \"base_url\": \"https://x.example\"}]}")
                                      << QByteArray("unknown kind");
    }

    void badConfigsAreRefusedWithTheReason()
    {
        QFETCH(QByteArray, config);
        QFETCH(QByteArray, reason);
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("config.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(config);
        file.close();
        ServeProcess serve;
        QVERIFY(!serve.start(file.fileName(), dir.path(), 10000));
        QVERIFY(serve.waitForExit());
        QCOMPARE(serve.exitCode(), 2);
        QVERIFY2(serve.standardError().contains(reason), serve.standardError().constData());
    }

    void missingConfigFileIsAnError()
    {
        QTemporaryDir dir;
        ServeProcess serve;
        QVERIFY(!serve.start(dir.filePath(QStringLiteral("nope.json")), dir.path(), 10000));
        QVERIFY(serve.waitForExit());
        QCOMPARE(serve.exitCode(), 2);
        QVERIFY(serve.standardError().contains("cannot read config"));
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
