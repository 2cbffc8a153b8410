// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// `config export` and `config import`, in-process through the command registry: the
// export carries no secret and round-trips; a bad import changes nothing.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "commandrun.h"

using namespace sy;

namespace {

using Run = testsupport::CommandRun;

Run run(const QStringList &arguments)
{
    return testsupport::runCommand(arguments);
}

QByteArray contents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void write(const QString &path, const QByteArray &content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    file.write(content);
}

// Every section the config knows, plus keys pasted where the config has no field for them.
const QByteArray kFullConfig = "{\"listen\": \"127.0.0.1:7801\", \"auth\": {\"require_client_key\": true, "
                               "\"client_keys\": [{\"name\": \"old\", \"sha256\": \""
    + QByteArray(64, 'a')
    + "\"}]},"
      "\"api_key\": \"sk-pasted-by-mistake-123456\","
      "\"allowed_origins\": [\"http://localhost:3000\"], \"secret_store\": \"encrypted-file\","
      "\"providers\": [{\"id\": \"openai\", \"api_key_env\": \"OPENAI_API_KEY\", \"models\": [\"gpt-4o\"]},"
      " {\"id\": \"groq\", \"kind\": \"openai-compatible\", \"base_url\": \"https://api.groq.com/openai/v1\","
      "  \"api_key\": \"gsk-also-pasted\", \"inject_stream_usage\": false}],"
      "\"routes\": [{\"model\": \"fast\", \"strategy\": \"weighted\", \"retry_on\": [429, 503], "
      "\"max_retry_after_ms\": 500,"
      " \"targets\": [{\"provider\": \"openai\", \"model\": \"gpt-4o-mini\", \"weight\": 3, \"key\": \"team\"},"
      "  {\"provider\": \"groq\", \"model\": \"llama-3.1-8b-instant\"}]}],"
      "\"limits\": [{\"scope\": \"client\", \"name\": \"agent-1\", \"rpm\": 60, \"tpm\": 200000, \"concurrency\": 4}],"
      "\"budgets\": [{\"scope\": \"client\", \"name\": \"agent-1\", \"daily_usd\": 5, \"monthly_usd\": 50.25}],"
      "\"prices\": {\"openai\": {\"models\": {\"my-model\": {\"input\": 1, \"output\": 2}}}},"
      "\"retention_months\": 12, \"upstream\": {\"connect_timeout_ms\": 5000, \"first_byte_timeout_ms\": 60000},"
      "\"server\": {\"max_body_bytes\": 1048576, \"max_header_bytes\": 32768, \"worker_threads\": 2, "
      "\"shutdown_grace_ms\": 3000}}";

} // namespace

class TestConfigCommands : public QObject
{
    Q_OBJECT

private slots:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }

    void exportHasNoSecretAndRoundTrips()
    {
        const QString config = m_dir->filePath(QStringLiteral("config.json"));
        write(config, kFullConfig);
        const Run exported
            = run({QStringLiteral("config"), QStringLiteral("export"), QStringLiteral("--data-dir"), m_dir->path()});
        QCOMPARE(exported.code, 0);
        QVERIFY(!exported.out.contains("pasted"));
        QVERIFY(exported.out.contains(QByteArray(64, 'a'))); // a hash, kept so the config round-trips
        const QJsonObject json = QJsonDocument::fromJson(exported.out).object();
        QCOMPARE(json.value(u"listen").toString(), QStringLiteral("127.0.0.1:7801"));
        QCOMPARE(json.value(u"secret_store").toString(), QStringLiteral("encrypted-file"));
        QCOMPARE(json.value(u"budgets")[0][u"monthly_usd"].toDouble(), 50.25);
        QCOMPARE(json.value(u"routes")[0][u"targets"][0][u"key"].toString(), QStringLiteral("team"));
        QCOMPARE(json.value(u"server")[u"worker_threads"].toInt(), 2);

        // Imported elsewhere and exported again: the same document.
        const QString file = m_dir->filePath(QStringLiteral("exported.json"));
        write(file, exported.out);
        QTemporaryDir other;
        const Run imported = run(
            {QStringLiteral("config"), QStringLiteral("import"), file, QStringLiteral("--data-dir"), other.path()});
        QVERIFY2(imported.code == 0, imported.err.constData());
        const Run again
            = run({QStringLiteral("config"), QStringLiteral("export"), QStringLiteral("--data-dir"), other.path()});
        QCOMPARE(again.out, exported.out);
    }

    void importDropsFieldsItDoesNotKnow()
    {
        const QString file = m_dir->filePath(QStringLiteral("incoming.json"));
        write(file, kFullConfig);
        const Run imported = run(
            {QStringLiteral("config"), QStringLiteral("import"), file, QStringLiteral("--data-dir"), m_dir->path()});
        QCOMPARE(imported.code, 0);
        const QByteArray saved = contents(m_dir->filePath(QStringLiteral("config.json")));
        QVERIFY(saved.contains("\"fast\""));
        QVERIFY(!saved.contains("pasted"));
        QVERIFY(QFile::permissions(m_dir->filePath(QStringLiteral("config.json"))) & QFileDevice::ReadOwner);
        QVERIFY(!(QFile::permissions(m_dir->filePath(QStringLiteral("config.json"))) & QFileDevice::ReadOther));
    }

    void badImportChangesNothing_data()
    {
        QTest::addColumn<QByteArray>("incoming");
        QTest::addColumn<QByteArray>("reason");
        QTest::newRow("not JSON") << QByteArray("{\"listen\": ") << QByteArray("not valid JSON");
        QTest::newRow("unknown kind") << QByteArray("{\"providers\": [{\"id\": \"x\", \"kind\": \"nope\"}]}")
                                      << QByteArray("unknown kind");
        QTest::newRow("route to nowhere") << QByteArray(
            "{\"routes\": [{\"model\": \"m\", \"targets\": [{\"provider\": \"ghost\", \"model\": \"x\"}]}]}")
                                          << QByteArray("unknown provider");
        QTest::newRow("bad price") << QByteArray(
            "{\"prices\": {\"openai\": {\"models\": {\"m\": {\"input\": \"free\"}}}}}")
                                   << QByteArray("prices");
        QTest::newRow("bad secret store")
            << QByteArray("{\"secret_store\": \"clipboard\"}") << QByteArray("secret_store");
    }

    void badImportChangesNothing()
    {
        QFETCH(QByteArray, incoming);
        QFETCH(QByteArray, reason);
        const QString config = m_dir->filePath(QStringLiteral("config.json"));
        write(config, kFullConfig);
        const QString file = m_dir->filePath(QStringLiteral("incoming.json"));
        write(file, incoming);
        const Run imported = run(
            {QStringLiteral("config"), QStringLiteral("import"), file, QStringLiteral("--data-dir"), m_dir->path()});
        QCOMPARE(imported.code, 1);
        QVERIFY2(imported.err.contains(reason), imported.err.constData());
        QVERIFY(imported.err.contains("was not imported"));
        QCOMPARE(contents(config), kFullConfig);
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_GUILESS_MAIN(TestConfigCommands)
#include "tst_configcommands.moc"
