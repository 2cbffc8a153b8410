// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The requests page's way back (RequestHistory) on a real SQLite file the store wrote:
// pages of raw rows newest first, each starting where the last ended (rows of one
// millisecond split across pages included), every field as the gateway recorded it
// (unknown counts and cost -1, never 0), read-only while the writer goes on.
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include "store/database.h"
#include "store/metricsstore.h"
#include "store/requesthistory.h"

using namespace sy;
using namespace sy::store;

namespace {

using Position = RequestHistory::Position;

// Recent enough that retention keeps it: the store prunes at open.
const QDateTime kBase = QDateTime::fromMSecsSinceEpoch(
    QDateTime::currentDateTimeUtc().addDays(-3).toMSecsSinceEpoch() / 1000 * 1000, Qt::UTC);

UsageRecord record(int n, qint64 atMs)
{
    UsageRecord r;
    r.startedAt = QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC);
    r.client = n % 2 ? QStringLiteral("agent-1") : QStringLiteral("agent-2");
    r.provider = QStringLiteral("openai");
    r.model = QStringLiteral("gpt-%1").arg(n);
    r.endpoint = QStringLiteral("/v1/chat/completions");
    r.status = 200;
    r.latencyMs = 100 + n;
    r.ttfbMs = 10 + n;
    r.inputTokens = 11;
    r.outputTokens = 7;
    r.cachedInputTokens = 3;
    r.cacheWriteTokens = 0;
    r.reasoningTokens = 1;
    r.costMicroUsd = 1000 * n;
    r.priceBookVersion = QStringLiteral("book-1");
    return r;
}

QList<int> numbers(const QList<RequestHistory::Row> &rows)
{
    QList<int> result;
    for (const RequestHistory::Row &row : rows)
        result.append(int(row.record.latencyMs - 100));
    return result;
}

} // namespace

class TestRequestHistory : public QObject
{
    Q_OBJECT

private slots:
    void pagesNewestFirst()
    {
        QTemporaryDir dir;
        const qint64 base = kBase.toMSecsSinceEpoch();
        {
            MetricsStore store({dir.path()});
            QVERIFY(store.open().ok());
            // Requests 0..11, one a second, except 5, 6 and 7, which share a millisecond
            // (stored in that order: ids rise).
            for (int n = 0; n < 12; ++n)
                store.record(record(n, base + 1000 * (n >= 6 && n <= 7 ? 5 : n)));
            UsageRecord odd = record(12, base + 12'000); // refused before any answer
            odd.status = 429;
            odd.outcome = Outcome::Rejected;
            odd.streamed = true;
            odd.route = QStringLiteral("smart");
            odd.ttfbMs = -1;
            odd.inputTokens = odd.outputTokens = odd.cachedInputTokens = odd.cacheWriteTokens = odd.reasoningTokens
                = -1;
            odd.costMicroUsd = -1;
            odd.attempts = 2;
            store.record(odd);
        }
        RequestHistory history(dir.path());
        QVERIFY(history.open().ok());

        auto page = history.olderThan(Position(), 4);
        QVERIFY2(page.ok(), qPrintable(page.error()));
        QCOMPARE(numbers(page.value()), QList<int>({12, 11, 10, 9}));
        const UsageRecord &refused = page->first().record;
        QCOMPARE(refused.startedAt, QDateTime::fromMSecsSinceEpoch(base + 12'000, Qt::UTC));
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.outcome, Outcome::Rejected);
        QVERIFY(refused.streamed);
        QCOMPARE(refused.route, QStringLiteral("smart"));
        QCOMPARE(refused.ttfbMs, -1);
        QCOMPARE(refused.inputTokens, -1); // NULL: unknown, never 0
        QCOMPARE(refused.outputTokens, -1);
        QCOMPARE(refused.cachedInputTokens, -1);
        QCOMPARE(refused.cacheWriteTokens, -1);
        QCOMPARE(refused.reasoningTokens, -1);
        QCOMPARE(refused.costMicroUsd, -1);
        QCOMPARE(refused.attempts, 2);
        const UsageRecord &plain = page->at(1).record;
        QCOMPARE(plain.client, QStringLiteral("agent-1"));
        QCOMPARE(plain.provider, QStringLiteral("openai"));
        QCOMPARE(plain.model, QStringLiteral("gpt-11"));
        QCOMPARE(plain.route, QString());
        QCOMPARE(plain.endpoint, QStringLiteral("/v1/chat/completions"));
        QCOMPARE(plain.outcome, Outcome::Completed);
        QVERIFY(!plain.streamed);
        QCOMPARE(plain.ttfbMs, 21);
        QCOMPARE(plain.inputTokens, 11);
        QCOMPARE(plain.outputTokens, 7);
        QCOMPARE(plain.cachedInputTokens, 3);
        QCOMPARE(plain.cacheWriteTokens, 0); // a known 0 stays 0
        QCOMPARE(plain.reasoningTokens, 1);
        QCOMPARE(plain.costMicroUsd, 11'000);
        QCOMPARE(plain.priceBookVersion, QStringLiteral("book-1"));

        // Each page starts where the last ended, also inside one millisecond: 7, 6, 5 share
        // one, newest row first.
        page = history.olderThan(page->last().position(), 4);
        QCOMPARE(numbers(page.value()), QList<int>({8, 7, 6}) + QList<int>({5}));
        page = history.olderThan(page->at(2).position(), 2); // after 6: 5, then 4
        QCOMPARE(numbers(page.value()), QList<int>({5, 4}));
        page = history.olderThan(page->last().position(), 10);
        QCOMPARE(numbers(page.value()), QList<int>({3, 2, 1, 0})); // fewer than asked: the end
        page = history.olderThan(page->last().position(), 10);
        QVERIFY(page.ok());
        QVERIFY(page->isEmpty());

        // By instant: strictly before it, or with the rows of that millisecond.
        page = history.olderThan(Position::before(base + 5000), 10);
        QCOMPARE(numbers(page.value()), QList<int>({4, 3, 2, 1, 0}));
        page = history.olderThan(Position::atOrBefore(base + 5000), 3);
        QCOMPARE(numbers(page.value()), QList<int>({7, 6, 5}));
        QVERIFY(history.olderThan(Position(), 0)->isEmpty());
    }

    void noDatabaseYet()
    {
        QTemporaryDir dir;
        RequestHistory history(dir.path());
        const Status opened = history.open();
        QVERIFY(!opened);
        QVERIFY2(opened.error().contains(u"no usage database"), qPrintable(opened.error()));
        QVERIFY(!QFileInfo::exists(Database::filePath(dir.path()))); // reading creates nothing
        QVERIFY(!history.olderThan(Position(), 10).ok());
    }

    void readsWhileTheWriterGoesOn()
    {
        QTemporaryDir dir;
        const qint64 base = kBase.toMSecsSinceEpoch();
        MetricsStore store({dir.path()});
        QVERIFY(store.open().ok());
        store.record(record(1, base));
        QVERIFY(store.flush());
        RequestHistory history(dir.path());
        QVERIFY(history.open().ok());
        QCOMPARE(numbers(history.olderThan(Position(), 10).value()), QList<int>({1}));

        // Rows and names that arrive later are read by the same connection.
        UsageRecord later = record(2, base + 1000);
        later.client = QStringLiteral("a-new-client");
        store.record(later);
        QVERIFY(store.flush());
        const auto page = history.olderThan(Position(), 10);
        QCOMPARE(numbers(page.value()), QList<int>({2, 1}));
        QCOMPARE(page->first().record.client, QStringLiteral("a-new-client"));
        // The writer still writes: the reader held no lock it needs.
        store.record(record(3, base + 2000));
        QVERIFY(store.flush());
        QCOMPARE(history.olderThan(Position(), 10)->size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestRequestHistory)
#include "tst_requesthistory.moc"
