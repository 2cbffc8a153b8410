// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QTest>

#include <QJsonDocument>

#include "config/configloader.h"
#include "config/configwriter.h"

using namespace sy::config;

class TestConfigLoader : public QObject
{
    Q_OBJECT

private slots:
    void defaults()
    {
        const auto config = ConfigLoader::fromJson("{}");
        QVERIFY(config.ok());
        QCOMPARE(config->listenAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(config->listenPort, quint16(7788));
        QVERIFY(config->requireClientKey);
        QCOMPARE(config->retentionMonths, 24);
        QCOMPARE(config->maxBodyBytes, qint64(32 * 1024 * 1024));
        QCOMPARE(config->maxHeaderBytes, 64 * 1024);
        QVERIFY(!config->timeZone.isValid()); // "local": the system's
    }

    void timeZone_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QByteArray>("id"); // empty: local
        QTest::newRow("local") << u"local"_qs << QByteArray();
        QTest::newRow("UTC") << u"UTC"_qs << QByteArray("UTC");
        QTest::newRow("half-hour offset") << u"Asia/Kolkata"_qs << QByteArray("Asia/Kolkata");
        QTest::newRow("daylight saving") << u"America/New_York"_qs << QByteArray("America/New_York");
    }
    void timeZone()
    {
        QFETCH(QString, setting);
        QFETCH(QByteArray, id);
        const auto config = ConfigLoader::fromJson(QStringLiteral(R"({"time_zone": "%1"})").arg(setting).toUtf8());
        QVERIFY2(config.ok(), qPrintable(config.error()));
        QCOMPARE(config->timeZone.isValid(), !id.isEmpty());
        if (!id.isEmpty())
            QCOMPARE(config->timeZone.id(), id);
        // Written back as it was given, and read again the same.
        const QJsonObject written = ConfigWriter::toJson(config.value());
        QCOMPARE(written.value(u"time_zone").toString(), setting);
        const auto again = ConfigLoader::fromJson(QJsonDocument(written).toJson());
        QVERIFY2(again.ok(), qPrintable(again.error()));
        QCOMPARE(again->timeZone, config->timeZone);
    }

    void apiRoot_data()
    {
        QTest::addColumn<QByteArray>("baseUrl");
        QTest::addColumn<QByteArray>("apiRoot");
        QTest::newRow("bare host") << QByteArray("https://api.openai.com") << QByteArray("/v1");
        QTest::newRow("with /v1") << QByteArray("https://api.openai.com/v1/") << QByteArray("/v1");
        QTest::newRow("openrouter") << QByteArray("https://openrouter.ai/api/v1") << QByteArray("/api/v1");
        QTest::newRow("gemini") << QByteArray("https://generativelanguage.googleapis.com/v1beta/openai/")
                                << QByteArray("/v1beta/openai");
        QTest::newRow("local http") << QByteArray("http://127.0.0.1:11434/v1") << QByteArray("/v1");
    }

    void apiRoot()
    {
        QFETCH(QByteArray, baseUrl);
        QFETCH(QByteArray, apiRoot);
        const auto config = ConfigLoader::fromJson(
            "{\"providers\": [{\"id\": \"p\", \"kind\": \"openai-compatible\", \"base_url\": \"" + baseUrl + "\"}]}");
        QVERIFY2(config.ok(), qPrintable(config.error()));
        QCOMPARE(config->providers.first().apiRoot, apiRoot);
    }

    void kindDefaultsFromWellKnownIds()
    {
        const auto config = ConfigLoader::fromJson("{\"providers\": [{\"id\": \"anthropic\"}, {\"id\": \"openai\"}]}");
        QVERIFY(config.ok());
        QCOMPARE(config->providers.at(0).kind, ProviderKind::Anthropic);
        QCOMPARE(config->providers.at(0).baseUrl.host(), u"api.anthropic.com");
        QCOMPARE(config->providers.at(1).kind, ProviderKind::OpenAI);
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not json") << QByteArray("{") << u"not valid JSON"_qs;
        QTest::newRow("array") << QByteArray("[]") << u"JSON object"_qs;
        QTest::newRow("bad listen") << QByteArray("{\"listen\": \"localhost\"}") << u"listen"_qs;
        QTest::newRow("open without keys")
            << QByteArray("{\"listen\": \"0.0.0.0:7788\", \"auth\": {\"require_client_key\": false}}")
            << u"loopback"_qs;
        QTest::newRow("bad client key") << QByteArray(
            "{\"auth\": {\"client_keys\": [{\"name\": \"a\", \"sha256\": \"abc\"}]}}")
                                        << u"sha256"_qs;
        QTest::newRow("plain http remote")
            << QByteArray("{\"providers\": [{\"id\": \"openai\", \"base_url\": \"http://api.openai.com\"}]}")
            << u"loopback upstreams"_qs;
        QTest::newRow("ftp") << QByteArray("{\"providers\": [{\"id\": \"openai\", \"base_url\": \"ftp://x.example\"}]}")
                             << u"https://"_qs;
        QTest::newRow("no id") << QByteArray("{\"providers\": [{\"kind\": \"openai\"}]}") << u"id is required"_qs;
        QTest::newRow("slash in id") << QByteArray("{\"providers\": [{\"id\": \"a/b\", \"kind\": \"openai\"}]}")
                                     << u"'/'"_qs;
        QTest::newRow("duplicate id") << QByteArray("{\"providers\": [{\"id\": \"openai\"}, {\"id\": \"openai\"}]}")
                                      << u"duplicate"_qs;
        QTest::newRow("unknown kind") << QByteArray("{\"providers\": [{\"id\": \"x\", \"kind\": \"palm\"}]}")
                                      << u"unknown kind"_qs;
        QTest::newRow("route without targets")
            << QByteArray("{\"routes\": [{\"model\": \"fast\"}]}") << u"at least one target"_qs;
        QTest::newRow("route to nowhere") << QByteArray(
            "{\"routes\": [{\"model\": \"fast\", \"targets\": [{\"provider\": \"x\", \"model\": \"m\"}]}]}")
                                          << u"unknown provider"_qs;
        QTest::newRow("mixed formats without translation") << QByteArray(
            "{\"providers\": [{\"id\": \"openai\"}, {\"id\": \"anthropic\"}], \"routes\": [{\"model\": \"m\", "
            "\"translate\": false, \"targets\": [{\"provider\": \"openai\", \"model\": \"a\"}, {\"provider\": "
            "\"anthropic\", \"model\": \"b\"}]}]}") << u"mix OpenAI and Anthropic"_qs;
        QTest::newRow("unknown strategy") << QByteArray(
            "{\"providers\": [{\"id\": \"openai\"}], \"routes\": [{\"model\": \"m\", \"strategy\": \"random\", "
            "\"targets\": [{\"provider\": \"openai\", \"model\": \"a\"}]}]}")
                                          << u"unknown strategy"_qs;
        QTest::newRow("bad retry_on") << QByteArray(
            "{\"providers\": [{\"id\": \"openai\"}], \"routes\": [{\"model\": \"m\", \"retry_on\": [200], "
            "\"targets\": [{\"provider\": \"openai\", \"model\": \"a\"}]}]}")
                                      << u"retry_on"_qs;
        QTest::newRow("retention zero") << QByteArray("{\"retention_months\": 0}") << u"retention_months"_qs;
        QTest::newRow("retention text") << QByteArray("{\"retention_months\": \"24\"}") << u"retention_months"_qs;
        QTest::newRow("tiny body limit") << QByteArray("{\"server\": {\"max_body_bytes\": 10}}")
                                         << u"max_body_bytes"_qs;
        QTest::newRow("prices not object") << QByteArray("{\"prices\": []}") << u"prices"_qs;
        QTest::newRow("unknown zone") << QByteArray(R"({"time_zone": "Mars/Olympus_Mons"})")
                                      << u"time_zone: expected \"local\", \"UTC\" or a time zone name"_qs;
        QTest::newRow("zone names it") << QByteArray(R"({"time_zone": "Asia/Calcutt"})") << u"Asia/Calcutt"_qs;
        QTest::newRow("empty zone") << QByteArray(R"({"time_zone": ""})") << u"time_zone"_qs;
        QTest::newRow("zone not text") << QByteArray(R"({"time_zone": 5.5})") << u"time_zone"_qs;
    }

    void refused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, reason);
        const auto config = ConfigLoader::fromJson(json);
        QVERIFY(!config.ok());
        QVERIFY2(config.error().contains(reason), qPrintable(config.error()));
    }

    void missingFileNamesThePath()
    {
        const auto config = ConfigLoader::fromFile(u"/nonexistent/switchyard.json"_qs);
        QVERIFY(!config.ok());
        QVERIFY(config.error().contains(u"/nonexistent/switchyard.json"));
    }
};

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
