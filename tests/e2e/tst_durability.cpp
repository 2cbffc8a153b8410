// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// kill -9 under load: the usage database opens cleanly afterwards and keeps every batch
// that was committed before the kill (at most the last batch window is lost).
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

#include "mockupstream.h"
#include "serveprocess.h"
#include "store/metricsstore.h"
#include "testhttpclient.h"

using namespace sy::testsupport;

class TestDurability : public QObject
{
    Q_OBJECT

private:
    static qint64 countRows(const QString &databasePath)
    {
        qint64 count = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("durability"));
            db.setDatabaseName(databasePath);
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
            if (db.open()) {
                QSqlQuery query(QStringLiteral("SELECT count(*) FROM requests"), db);
                if (query.next())
                    count = query.value(0).toLongLong();
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("durability"));
        return count;
    }

private slots:
    void killDuringLoadKeepsCommittedBatches()
    {
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        upstream.setRecordRequests(false);
        ServeProcess serve;
        const QJsonObject config {
            {QStringLiteral("listen"), QStringLiteral("127.0.0.1:0")},
            {QStringLiteral("auth"), QJsonObject {{QStringLiteral("require_client_key"), false}}},
            {QStringLiteral("providers"),
             QJsonArray {QJsonObject {{QStringLiteral("id"), QStringLiteral("openai")},
                                      {QStringLiteral("base_url"), upstream.baseUrl().toString()}}}}};
        QVERIFY2(serve.start(config), qPrintable(serve.errorString()));
        const QString database = QDir(serve.dataDir()).filePath(QStringLiteral("usage.sqlite"));

        // Four keep-alive clients, each sending its next request as soon as one is answered.
        const QByteArray body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"load\"}]}";
        std::vector<std::unique_ptr<TestHttpClient>> clients;
        for (int i = 0; i < 4; ++i) {
            auto client = std::make_unique<TestHttpClient>();
            QVERIFY(client->connectTo(serve.port()));
            for (int j = 0; j < 400; ++j) // pipelined: the gateway answers them in order
                client->send("POST", "/v1/chat/completions", {{"Content-Type", "application/json"}}, body);
            clients.push_back(std::move(client));
        }
        qint64 seen = 0;
        QTRY_VERIFY_WITH_TIMEOUT((seen = countRows(database)) >= 200, 20000);
        QVERIFY(serve.kill());
        QCOMPARE(serve.exitStatus(), QProcess::CrashExit);

        sy::store::MetricsStore::Options options;
        options.dataDir = serve.dataDir();
        sy::store::MetricsStore store(options);
        QVERIFY(store.open().ok());
        QVERIFY2(store.recoveryNote().isEmpty(), qPrintable(store.recoveryNote())); // not moved aside: intact
        store.close();
        const qint64 after = countRows(database);
        QVERIFY2(after >= seen, qPrintable(QStringLiteral("%1 rows before the kill, %2 after").arg(seen).arg(after)));
    }
};

QTEST_GUILESS_MAIN(TestDurability)
#include "tst_durability.moc"
