// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Promise 1, no content at rest, against a real `switchyard serve` and curl: a unique
// string sent in prompts and echoed in completions, on success and error paths, never
// reaches a file under the data dir or a log line; neither do the keys. And SIGTERM
// leaves every finished request on disk.
#include <QCryptographicHash>
#include <QDirIterator>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryFile>
#include <QTest>
#include <QUuid>

#include "mockupstream.h"
#include "openaistreambuilder.h"
#include "sdkrunner.h"
#include "serveprocess.h"

using namespace sy::testsupport;
using namespace sy::e2e;

namespace {
const QByteArray kProviderKey = "sk-provider-privacy-7f3a9c";
const QByteArray kClientKey = "sy-client-privacy-0b1c2d3e4f";
} // namespace

class TestPrivacy : public QObject
{
    Q_OBJECT

private:
    MockUpstream m_upstream;
    ServeProcess m_serve;
    QTemporaryDir m_bodies;

    QByteArray curl(const QStringList &arguments, const QByteArray &body)
    {
        const QString file = m_bodies.filePath(QUuid::createUuid().toString(QUuid::WithoutBraces));
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly) || out.write(body) != body.size())
            return {};
        out.close();
        const ProcessResult result
            = runProcess(QStringLiteral("curl"),
                         QStringList {u"-sS"_qs, u"-N"_qs, u"--max-time"_qs, u"20"_qs, u"-H"_qs,
                                      u"Content-Type: application/json"_qs, u"--data-binary"_qs, u'@' + file}
                             + arguments);
        return result.out;
    }

    static qint64 countRows(const QString &databasePath)
    {
        qint64 count = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_qs, u"privacy-check"_qs);
            db.setDatabaseName(databasePath);
            db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_qs);
            if (db.open()) {
                QSqlQuery query(u"SELECT count(*) FROM requests"_qs, db);
                if (query.next())
                    count = query.value(0).toLongLong();
            }
        }
        QSqlDatabase::removeDatabase(u"privacy-check"_qs);
        return count;
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(u"curl"_qs).isEmpty())
            QSKIP("curl is not installed");
        QVERIFY(m_bodies.isValid());
        QVERIFY(m_upstream.listen());
        const QString base = m_upstream.baseUrl().toString();
        const QString hash
            = QString::fromLatin1(QCryptographicHash::hash(kClientKey, QCryptographicHash::Sha256).toHex());
        const QJsonObject config {
            {u"listen"_qs, u"127.0.0.1:0"_qs},
            {u"auth"_qs,
             QJsonObject {
                 {u"require_client_key"_qs, true},
                 {u"client_keys"_qs, QJsonArray {QJsonObject {{u"name"_qs, u"agent"_qs}, {u"sha256"_qs, hash}}}}}},
            {u"providers"_qs,
             QJsonArray {
                 QJsonObject {
                     {u"id"_qs, u"openai"_qs}, {u"base_url"_qs, base}, {u"api_key_env"_qs, u"SY_PRIVACY_KEY"_qs}},
                 QJsonObject {
                     {u"id"_qs, u"anthropic"_qs}, {u"base_url"_qs, base}, {u"api_key_env"_qs, u"SY_PRIVACY_KEY"_qs}}}}};
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"SY_PRIVACY_KEY"_qs, QString::fromLatin1(kProviderKey));
        m_serve.setEnvironment(environment);
        // Every debug line on: the promise holds for the chattiest logs too.
        m_serve.setExtraArguments({u"--log-rules"_qs, u"switchyard.*.debug=true"_qs});
        QVERIFY2(m_serve.start(config), qPrintable(m_serve.errorString() + QString::fromUtf8(m_serve.output())));
    }

    void nothingOfTheContentIsKept()
    {
        const QByteArray needle = "needle-" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        const QString url = m_serve.baseUrl().toString();
        const QStringList openai {u"-H"_qs, u"Authorization: Bearer "_qs + QString::fromLatin1(kClientKey)};
        const QStringList anthropic {u"-H"_qs, u"x-api-key: "_qs + QString::fromLatin1(kClientKey), u"-H"_qs,
                                     u"anthropic-version: 2023-06-01"_qs};
        const QByteArray chat
            = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + needle + "\"}]";
        int requests = 0;

        QVERIFY(curl(openai + QStringList {url + u"/v1/chat/completions"_qs}, chat + "}").contains(needle));
        ++requests;
        QVERIFY(
            curl(openai + QStringList {url + u"/v1/chat/completions"_qs}, chat + ",\"stream\":true}").contains(needle));
        ++requests;
        const QByteArray messages = "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":32,\"stream\":true,\"messages\":[{"
                                    "\"role\":\"user\",\"content\":\""
            + needle + "\"}]}";
        QVERIFY(curl(anthropic + QStringList {url + u"/v1/messages"_qs}, messages).contains(needle));
        ++requests;
        // A large body: curl waits for "100 Continue" before sending it.
        const QByteArray padding(2 * 1024 * 1024, 'p');
        QVERIFY(curl(openai + QStringList {url + u"/v1/chat/completions"_qs}, chat + ",\"user\":\"" + padding + "\"}")
                    .contains(needle));
        ++requests;

        // Error paths: the gateway's own errors never quote the body back...
        const QByteArray rejected
            = curl(openai + QStringList {url + u"/v1/chat/completions"_qs}, "{\"" + needle + "\": ");
        QVERIFY(rejected.contains("\"error\""));
        QVERIFY(!rejected.contains(needle));
        ++requests;
        // ...and an upstream error with content in it reaches the client, not the logs.
        m_upstream.enqueue(MockUpstream::Script::openAiError(500, "server_error", "", "failed on " + needle));
        QVERIFY(curl(openai + QStringList {url + u"/v1/chat/completions"_qs}, chat + "}").contains(needle));
        ++requests;

        // Translated traffic (Anthropic caller, OpenAI provider): answers, a streamed tool
        // call, a translated error, all carrying the needle, and debug logs of the translator on.
        const QByteArray translated = "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":32,\"system\":\"" + needle
            + "\",\"tools\":[{\"name\":\"" + needle.left(20)
            + "\",\"input_schema\":{}}],"
              "\"messages\":[{\"role\":\"user\",\"content\":\""
            + needle + "\"}]";
        QVERIFY(curl(anthropic + QStringList {url + u"/v1/messages"_qs}, translated + "}").contains(needle));
        ++requests;
        QVERIFY(curl(anthropic + QStringList {url + u"/v1/messages"_qs}, translated + ",\"stream\":true}")
                    .contains(needle));
        ++requests;
        m_upstream.enqueue(
            OpenAiStreamBuilder()
                .reasoning(QString::fromLatin1(needle))
                .toolStart(0, "call_1", "bash")
                .toolArguments(0, QStringLiteral("{\"command\":\"%1\"}").arg(QString::fromLatin1(needle)))
                .finish("tool_calls")
                .usage(10, 5, 0)
                .script(true));
        QVERIFY(curl(anthropic + QStringList {url + u"/v1/messages"_qs}, translated + ",\"stream\":true}")
                    .contains(needle));
        ++requests;
        m_upstream.enqueue(MockUpstream::Script::openAiError(503, "server_error", "", "overloaded by " + needle));
        QVERIFY(curl(anthropic + QStringList {url + u"/v1/messages"_qs}, translated + "}").contains(needle));
        ++requests;

        QVERIFY2(m_serve.terminate(), qPrintable(m_serve.errorString()));
        QCOMPARE(m_serve.exitCode(), 0);

        // SIGTERM: every finished request is on disk.
        const QString database = QDir(m_serve.dataDir()).filePath(u"usage.sqlite"_qs);
        QCOMPARE(countRows(database), qint64(requests));

        const QList<QByteArray> secrets {needle, kProviderKey, kClientKey};
        QDirIterator files(m_serve.dataDir(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        int scanned = 0;
        while (files.hasNext()) {
            const QString path = files.next();
            if (path == m_serve.configFile())
                continue; // written by this test; holds only the key's hash
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            for (const QByteArray &secret : secrets)
                QVERIFY2(!bytes.contains(secret), qPrintable(u"found in "_qs + path));
            ++scanned;
        }
        QVERIFY(scanned >= 1); // the database at least
        QVERIFY(m_serve.output().contains("switchyard.")); // debug logging really was on
        for (const QByteArray &secret : secrets)
            QVERIFY2(!m_serve.output().contains(secret), "content or a key in the gateway's output");
    }
};

QTEST_GUILESS_MAIN(TestPrivacy)
#include "tst_privacy.moc"
