// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <atomic>

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "common/clock.h"
#include "store/database.h"
#include "store/metricsstore.h"
#include "store/schema.h"

using namespace sy;
using namespace sy::store;

namespace {

class FakeClock final : public Clock
{
public:
    explicit FakeClock(const QDateTime &start) : m_ms(start.toMSecsSinceEpoch()) { }
    QDateTime nowUtc() const override { return QDateTime::fromMSecsSinceEpoch(m_ms.load(), Qt::UTC); }
    void set(const QDateTime &time) { m_ms.store(time.toMSecsSinceEpoch()); }

private:
    std::atomic<qint64> m_ms;
};

UsageRecord makeRecord(const QDateTime &at, const QString &model = QStringLiteral("gpt-4o-mini"), qint64 cost = 150)
{
    UsageRecord r;
    r.startedAt = at;
    r.client = QStringLiteral("agent");
    r.provider = QStringLiteral("openai");
    r.model = model;
    r.endpoint = QStringLiteral("/v1/chat/completions");
    r.status = 200;
    r.latencyMs = 120;
    r.ttfbMs = 40;
    r.inputTokens = 1000;
    r.outputTokens = 100;
    r.cachedInputTokens = 200;
    r.costMicroUsd = cost;
    r.priceBookVersion = QStringLiteral("test-1");
    return r;
}

// Reads the file through a connection of its own, as the dashboard would.
qint64 scalar(const QString &dataDir, const QString &sql)
{
    Database db(Database::filePath(dataDir), QStringLiteral("test"), Database::Mode::ReadOnly);
    if (!db.open())
        return -1;
    QSqlQuery query(db.db());
    if (!query.exec(sql) || !query.next()) {
        qWarning() << sql << query.lastError().text();
        return -1;
    }
    return query.value(0).toLongLong();
}

MetricsStore::Options options(const QString &dir)
{
    MetricsStore::Options o;
    o.dataDir = dir;
    return o;
}

} // namespace

class TestMetricsStore : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { Clock::setInstance(nullptr); }

    void flushCommitsEverythingRecordedFromManyThreads()
    {
        QTemporaryDir dir;
        MetricsStore store(options(dir.path()));
        QVERIFY(store.open().ok());
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QList<QThread *> threads;
        for (int t = 0; t < 4; ++t) {
            threads.append(QThread::create([&store, now] {
                for (int i = 0; i < 2500; ++i)
                    store.record(makeRecord(now.addSecs(-i)));
            }));
            threads.last()->start();
        }
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(10000));
            delete thread;
        }
        QVERIFY(store.flush(10000));
        QCOMPARE(store.stats().committed, 10000);
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT count(*) FROM requests")), 10000);
        // Rollups in step with the raw rows.
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT sum(requests) FROM daily")), 10000);
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT sum(requests) FROM hourly")), 10000);
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT sum(cost_micro_usd) FROM daily")), 10000 * 150);
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT sum(input_tokens) FROM hourly")),
                 scalar(dir.path(), QStringLiteral("SELECT sum(input_tokens) FROM requests")));
    }

    void batchesAreCommittedWithoutFlush()
    {
        QTemporaryDir dir;
        MetricsStore store(options(dir.path()));
        QVERIFY(store.open().ok());
        for (int i = 0; i < 3; ++i)
            store.record(makeRecord(QDateTime::currentDateTimeUtc()));
        // The 250 ms batch window commits them on its own.
        QTRY_COMPARE_WITH_TIMEOUT(scalar(dir.path(), QStringLiteral("SELECT count(*) FROM requests")), 3, 5000);
        QCOMPARE(store.stats().batches, 1);
    }

    void unknownCostIsStoredAsNull()
    {
        QTemporaryDir dir;
        MetricsStore store(options(dir.path()));
        QVERIFY(store.open().ok());
        store.record(makeRecord(QDateTime::currentDateTimeUtc(), QStringLiteral("mystery"), -1));
        store.record(makeRecord(QDateTime::currentDateTimeUtc(), QStringLiteral("free"), 0));
        QVERIFY(store.flush(5000));
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT count(*) FROM requests WHERE cost_micro_usd IS NULL")), 1);
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT count(*) FROM requests WHERE cost_micro_usd = 0")), 1);
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT sum(unknown_cost_requests) FROM daily")), 1);
    }

    void unknownTokenCountsAreStoredAsNull()
    {
        QTemporaryDir dir;
        MetricsStore store(options(dir.path()));
        QVERIFY(store.open().ok());
        UsageRecord refused = makeRecord(QDateTime::currentDateTimeUtc(), QStringLiteral("refused"), -1);
        refused.status = 429;
        refused.outcome = Outcome::Rejected;
        refused.inputTokens = refused.outputTokens = -1;
        refused.cachedInputTokens = refused.cacheWriteTokens = refused.reasoningTokens = -1;
        store.record(refused);
        UsageRecord known = makeRecord(QDateTime::currentDateTimeUtc());
        known.cacheWriteTokens = 0;
        known.reasoningTokens = 7;
        store.record(known);
        QVERIFY(store.flush(5000));
        for (const char *column :
             {"input_tokens", "output_tokens", "cached_input_tokens", "cache_write_tokens", "reasoning_tokens"}) {
            const QString name = QString::fromLatin1(column);
            QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT count(*) FROM requests WHERE %1 IS NULL").arg(name)), 1);
            // The rollups sum what is known: the unknown row adds nothing, not -1.
            QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT sum(%1) FROM daily").arg(name)),
                     scalar(dir.path(), QStringLiteral("SELECT sum(%1) FROM requests").arg(name)));
        }
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT cache_write_tokens FROM requests WHERE status = 200")), 0);
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT sum(reasoning_tokens) FROM hourly")), 7);
    }

    void closeDrainsTheQueue()
    {
        QTemporaryDir dir;
        {
            MetricsStore store(options(dir.path()));
            QVERIFY(store.open().ok());
            for (int i = 0; i < 1500; ++i)
                store.record(makeRecord(QDateTime::currentDateTimeUtc()));
        } // destructor: what SIGTERM handling relies on
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT count(*) FROM requests")), 1500);
    }

    void migratesFromEachEarlierSchema_data()
    {
        QTest::addColumn<int>("from");
        QTest::newRow("new file") << 0;
        QTest::newRow("schema 1") << 1;
        QTest::newRow("schema 2") << 2;
        QTest::newRow("schema 3") << 3;
    }
    void migratesFromEachEarlierSchema()
    {
        QFETCH(int, from);
        QTemporaryDir dir;
        // Recent, so retention at open keeps the rows and their hourly rollup.
        const qint64 hourStart = QDateTime::currentMSecsSinceEpoch() / 3'600'000 * 3'600'000;
        if (from > 0 && from < 3) {
            Database db(Database::filePath(dir.path()), QStringLiteral("setup"), Database::Mode::ReadWrite);
            QVERIFY(db.open().ok());
            QVERIFY(Schema::migrate(db.db(), from).ok());
            // A schema-1 file with history: the rollups must be backfilled from it.
            QVERIFY(
                db.exec(QStringLiteral("INSERT INTO labels VALUES (1, 1, 'a'), (2, 2, 'openai'), (3, 3, 'm')")).ok());
            QVERIFY(db.exec(QStringLiteral("INSERT INTO requests (ts_ms, client_id, provider_id, model_id, route_id,"
                                           " endpoint_id, status, streamed, outcome, latency_ms, ttfb_ms, input_tokens,"
                                           " output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,"
                                           " cost_micro_usd, price_book_id, attempts) VALUES"
                                           " (%1, 1, 2, 3, 1, 1, 200, 0, 0, 10, 5, 100, 10, 0, 0, 0, 42, 1, 1),"
                                           " (%1 + 1, 1, 2, 3, 1, 1, 500, 1, 0, 10, 5, -1, -1, 0, 0, 0, NULL, 1, 1)")
                                .arg(hourStart))
                        .ok());
        }
        MetricsStore store(options(dir.path()));
        QVERIFY(store.open().ok());
        store.close();
        QCOMPARE(scalar(dir.path(), QStringLiteral("PRAGMA user_version")), Schema::kVersion);
        QCOMPARE(scalar(dir.path(), QStringLiteral("PRAGMA auto_vacuum")), 2); // INCREMENTAL
        if (from > 0 && from < 3) {
            // Schema 3: unknown token counts are NULL, and so are the cache and reasoning
            // counts beside them that schemas 1 and 2 stored as 0; known ones stay as they were.
            const auto count = [&](const QString &where) {
                return scalar(dir.path(), QStringLiteral("SELECT count(*) FROM requests WHERE ") + where);
            };
            QCOMPARE(count(QStringLiteral("status = 500 AND input_tokens IS NULL AND output_tokens IS NULL AND"
                                          " cached_input_tokens IS NULL AND cache_write_tokens IS NULL AND"
                                          " reasoning_tokens IS NULL AND cost_micro_usd IS NULL")),
                     1);
            QCOMPARE(count(QStringLiteral("status = 200 AND input_tokens = 100 AND output_tokens = 10 AND"
                                          " cached_input_tokens = 0 AND cache_write_tokens = 0 AND"
                                          " reasoning_tokens = 0 AND cost_micro_usd = 42 AND id = 1")),
                     1);
            QCOMPARE(
                scalar(dir.path(), QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'requests_ts'")), 1);
        }
        if (from == 1) { // schema 2's rollups were backfilled from schema 1's rows
            const QString day = QString::number(hourStart / 86'400'000);
            QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT requests FROM daily WHERE day = ") + day), 2);
            QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT errors FROM daily WHERE day = ") + day), 1);
            QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT input_tokens FROM daily WHERE day = ") + day), 100);
            QCOMPARE(scalar(dir.path(),
                            QStringLiteral("SELECT cost_micro_usd FROM hourly WHERE hour = ")
                                + QString::number(hourStart / 3'600'000)),
                     42);
            QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT unknown_cost_requests FROM daily")), 1);
        }
        if (from == 1 || from == 2) {
            // Schema 4 recounts unpriced requests from the rows (none of these: a priced one
            // and an upstream error), and counts a new unpriced one as the live figures do.
            QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT sum(unpriced_requests) FROM hourly")), 0);
        }
        if (from == 3) {
            // Rows written under schema 3 come without rollups here: add an unpriced one and
            // its rollup by hand, then migrate a fresh copy to see the backfill count it.
            QTemporaryDir again;
            {
                Database db(Database::filePath(again.path()), QStringLiteral("setup3"), Database::Mode::ReadWrite);
                QVERIFY(db.open().ok());
                QVERIFY(Schema::migrate(db.db(), 3).ok());
                QVERIFY(db.exec(QStringLiteral("INSERT INTO labels VALUES (1, 1, 'a'), (2, 2, 'openai'), (3, 3, 'm')"))
                            .ok());
                QVERIFY(db.exec(QStringLiteral("INSERT INTO requests (ts_ms, client_id, provider_id, model_id,"
                                               " route_id, endpoint_id, status, streamed, outcome, latency_ms, ttfb_ms,"
                                               " input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,"
                                               " reasoning_tokens, cost_micro_usd, price_book_id, attempts) VALUES"
                                               " (%1, 1, 2, 3, 1, 1, 200, 0, 0, 10, 5, 7, 3, 0, 0, 0, NULL, 1, 1),"
                                               " (%1, 1, 2, 3, 1, 1, 401, 0, 4, 1, -1, NULL, NULL, NULL, NULL, NULL,"
                                               " NULL, 1, 1)")
                                    .arg(hourStart))
                            .ok());
                QVERIFY(db.exec(QStringLiteral("INSERT INTO hourly VALUES (%1, 1, 2, 3, 2, 1, 7, 3, 0, 0, 0, 0, 2, 11)")
                                    .arg(hourStart / 3'600'000))
                            .ok());
                QVERIFY(Schema::migrate(db.db()).ok());
            }
            QCOMPARE(scalar(again.path(), QStringLiteral("SELECT unpriced_requests FROM hourly")), 1);
        }
    }

    void damagedFilesAreMovedAsideNeverDeleted_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("garbage") << QStringLiteral("corrupt");
        QTest::newRow("newer schema") << QStringLiteral("newer");
    }
    void damagedFilesAreMovedAsideNeverDeleted()
    {
        QFETCH(QString, kind);
        QTemporaryDir dir;
        const QString path = Database::filePath(dir.path());
        QByteArray original;
        if (kind == u"corrupt") {
            original = QByteArray("this is not a database, but the user's data all the same").repeated(100);
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(original);
        } else {
            Database db(path, QStringLiteral("setup"), Database::Mode::ReadWrite);
            QVERIFY(db.open().ok());
            QVERIFY(db.exec(QStringLiteral("CREATE TABLE future (x)")).ok());
            QVERIFY(db.exec(QStringLiteral("PRAGMA user_version = 99")).ok());
        }
        MetricsStore store(options(dir.path()));
        QSignalSpy moved(&store, &MetricsStore::databaseMovedAside);
        QVERIFY(store.open().ok());
        QCOMPARE(moved.count(), 1);
        QVERIFY(!store.recoveryNote().isEmpty());
        const QStringList aside = QDir(dir.path()).entryList({QStringLiteral("usage.%1-*.sqlite").arg(kind)});
        QCOMPARE(aside.size(), 1);
        if (!original.isEmpty()) {
            QFile file(QDir(dir.path()).filePath(aside.first()));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(), original);
        }
        // And the gateway keeps recording into the fresh file.
        store.record(makeRecord(QDateTime::currentDateTimeUtc()));
        QVERIFY(store.flush(5000));
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT count(*) FROM requests")), 1);
    }

    void retentionFollowsTheClock()
    {
        const QDateTime start(QDate(2026, 6, 15), QTime(12, 0), Qt::UTC);
        FakeClock clock(start);
        Clock::setInstance(&clock);
        QTemporaryDir dir;
        {
            // History written by an earlier run, so the prune at open has something to do.
            // That run keeps everything: its own prune must not race the inserts.
            MetricsStore::Options keepAll = options(dir.path());
            keepAll.retentionMonths = 1200;
            MetricsStore store(keepAll);
            QVERIFY(store.open().ok());
            store.record(makeRecord(start.addMonths(-30)));
            store.record(makeRecord(start.addMonths(-25)));
            store.record(makeRecord(start.addMonths(-23)));
            store.record(makeRecord(start.addDays(-1)));
            QVERIFY(store.flush(5000));
        }
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT count(*) FROM requests")), 4);

        MetricsStore::Options o = options(dir.path());
        o.hourlyRetentionDays = 35;
        MetricsStore store(o);
        QSignalSpy pruned(&store, &MetricsStore::pruned);
        QVERIFY(store.open().ok());
        // At open: older than 24 months goes.
        QTRY_COMPARE_WITH_TIMEOUT(scalar(dir.path(), QStringLiteral("SELECT count(*) FROM requests")), 2, 5000);
        QVERIFY(pruned.count() >= 1);
        QCOMPARE(pruned.first().first().toLongLong(), 2);
        // Daily aggregates stay; hourly ones beyond 35 days go.
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT sum(requests) FROM daily")), 4);
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT sum(requests) FROM hourly")), 1);

        // Two months later, the daily run removes the next one, without anyone waiting.
        clock.set(start.addMonths(2).addDays(1));
        QTRY_COMPARE_WITH_TIMEOUT(scalar(dir.path(), QStringLiteral("SELECT count(*) FROM requests")), 1, 5000);
        QCOMPARE(store.stats().pruned, 3);
    }

    void prunedSpaceGoesBackToTheFileSystem()
    {
        const QDateTime start(QDate(2026, 6, 15), QTime(12, 0), Qt::UTC);
        FakeClock clock(start);
        Clock::setInstance(&clock);
        QTemporaryDir dir;
        MetricsStore store(options(dir.path()));
        QVERIFY(store.open().ok());
        for (int i = 0; i < 20000; ++i)
            store.record(makeRecord(start.addDays(-400).addSecs(i), QStringLiteral("model-%1").arg(i % 50)));
        QVERIFY(store.flush(10000));
        const qint64 pagesBefore = scalar(dir.path(), QStringLiteral("PRAGMA page_count"));
        QSignalSpy pruned(&store, &MetricsStore::pruned);
        clock.set(start.addMonths(13));
        store.pruneNow();
        QVERIFY(pruned.wait(5000));
        QCOMPARE(pruned.last().first().toLongLong(), 20000);
        QCOMPARE(scalar(dir.path(), QStringLiteral("SELECT count(*) FROM requests")), 0);
        QVERIFY2(scalar(dir.path(), QStringLiteral("PRAGMA page_count")) < pagesBefore / 2,
                 "incremental vacuum should shrink the file");
        QCOMPARE(scalar(dir.path(), QStringLiteral("PRAGMA freelist_count")), 0);
    }

    // DESIGN.md promise 1: only metadata at rest. The schema is pinned column by column, so
    // a new column fails here and must be argued for in docs/PRIVACY.md first.
    void schemaHoldsOnlyMetadata()
    {
        QTemporaryDir dir;
        {
            MetricsStore store(options(dir.path()));
            QVERIFY(store.open().ok());
        }
        Database db(Database::filePath(dir.path()), QStringLiteral("test"), Database::Mode::ReadOnly);
        QVERIFY(db.open().ok());
        QSqlQuery query(db.db());
        QVERIFY(query.exec(QStringLiteral("SELECT m.name, p.name, p.type FROM sqlite_master m,"
                                          " pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1, p.cid")));
        QStringList columns;
        while (query.next())
            columns << query.value(0).toString() + u'.' + query.value(1).toString() + u':' + query.value(2).toString();
        const QString rollup = QStringLiteral(
            "client_id:INTEGER,provider_id:INTEGER,model_id:INTEGER,requests:INTEGER,errors:INTEGER,"
            "input_tokens:INTEGER,output_tokens:INTEGER,cached_input_tokens:INTEGER,cache_write_tokens:INTEGER,"
            "reasoning_tokens:INTEGER,cost_micro_usd:INTEGER,unknown_cost_requests:INTEGER,latency_ms_sum:INTEGER,"
            "unpriced_requests:INTEGER");
        QStringList expected;
        for (const QString &c : QString(QStringLiteral("day:INTEGER,") + rollup).split(u','))
            expected << QStringLiteral("daily.") + c;
        for (const QString &c : QString(QStringLiteral("hour:INTEGER,") + rollup).split(u','))
            expected << QStringLiteral("hourly.") + c;
        expected << QStringLiteral("labels.id:INTEGER") << QStringLiteral("labels.kind:INTEGER")
                 << QStringLiteral("labels.value:TEXT");
        for (const QString &c :
             QStringLiteral("id,ts_ms,client_id,provider_id,model_id,route_id,endpoint_id,status,streamed,outcome,"
                            "latency_ms,ttfb_ms,input_tokens,output_tokens,cached_input_tokens,cache_write_tokens,"
                            "reasoning_tokens,cost_micro_usd,price_book_id,attempts")
                 .split(u','))
            expected << QStringLiteral("requests.") + c + QStringLiteral(":INTEGER");
        QCOMPARE(columns, expected);
    }

    // Whatever else a request carried (its body, its keys), only the record's labels reach
    // the file: scan every byte of the database and its WAL for the request's other parts.
    void noContentReachesTheFile()
    {
        QTemporaryDir dir;
        const QByteArray prompt = "PROMPT-SENTINEL please summarise my private notes";
        const QByteArray key = "sk-SENTINEL-0123456789abcdef";
        {
            MetricsStore store(options(dir.path()));
            QVERIFY(store.open().ok());
            UsageRecord r = makeRecord(QDateTime::currentDateTimeUtc());
            r.client = QStringLiteral("label-sentinel-client");
            store.record(r);
            QVERIFY(store.flush(5000));
            QByteArray everything;
            for (const QString &name : QDir(dir.path()).entryList(QDir::Files)) {
                QFile file(QDir(dir.path()).filePath(name));
                QVERIFY(file.open(QIODevice::ReadOnly));
                everything += file.readAll();
            }
            QVERIFY(everything.contains("label-sentinel-client")); // the scan does see stored text
            QVERIFY(!everything.contains(prompt));
            QVERIFY(!everything.contains(key));
            QVERIFY(!everything.contains("SENTINEL please"));
        }
    }
};

QTEST_GUILESS_MAIN(TestMetricsStore)
#include "tst_metricsstore.moc"
