// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The requests page pages older requests in from the usage database: scrolled to the end
// of what is in memory, it says it is loading and the next page appears below, read on a
// worker from a database the store keeps writing, without a row twice (live rows that are
// also on disk among them), page after page to the first request; after a restart, with
// nothing in memory, the last session's latest requests show at once.
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "gui/requestsmodel.h"
#include "gui/requestspage.h"
#include "live/recentrequests.h"
#include "store/metricsstore.h"

using namespace sy;

namespace {

// Recent enough that retention keeps it; whole seconds.
const qint64 kBase = QDateTime::currentDateTimeUtc().addDays(-2).toMSecsSinceEpoch() / 1000 * 1000;

UsageRecord request(int n)
{
    UsageRecord r;
    r.startedAt = QDateTime::fromMSecsSinceEpoch(kBase + 1000 * qint64(n), Qt::UTC); // one a second
    r.client = n % 3 ? QStringLiteral("agent-1") : QStringLiteral("agent-2");
    r.provider = QStringLiteral("openai");
    r.model = QStringLiteral("gpt-4o-mini");
    r.endpoint = QStringLiteral("/v1/chat/completions");
    r.status = n % 10 == 9 ? 500 : 200;
    r.latencyMs = 50;
    r.ttfbMs = 20;
    r.inputTokens = 11;
    r.outputTokens = 7;
    r.costMicroUsd = 400;
    return r;
}

// Every row shown, by when it started: a row shown twice would shrink the set.
QSet<qint64> startTimes(const gui::RequestsModel &model)
{
    QSet<qint64> times;
    for (int row = 0; row < model.rowCount(); ++row)
        times.insert(model.record(row).startedAt.toMSecsSinceEpoch());
    return times;
}

} // namespace

class TestRequestsPaging : public QObject
{
    Q_OBJECT

private slots:
    void scrollingBackPagesInOlderRequests()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // 1,300 requests on disk; the newest 100 are also the live ones in memory. The store
        // stays open and writing, as a running gateway's does.
        store::MetricsStore store({dir.path()});
        QVERIFY(store.open().ok());
        live::RecentRequests recent(100);
        for (int n = 0; n < 1300; ++n) {
            store.record(request(n));
            if (n >= 1200)
                recent.record(request(n));
        }
        QVERIFY(store.flush());

        gui::RequestsPage page(recent);
        page.setHistory(dir.path());
        page.resize(1000, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto *table = page.findChild<QTableView *>(QStringLiteral("requestsTable"));
        auto *note = page.findChild<QLabel *>(QStringLiteral("pagingNote"));
        auto *button = page.findChild<QPushButton *>(QStringLiteral("olderButton"));
        QVERIFY(table && note && button);
        gui::RequestsModel &model = *page.model();
        QTRY_VERIFY(table->verticalScrollBar()->maximum() > 0);
        QCOMPARE(model.rowCount(), 100); // a full table: nothing loads before the user scrolls
        QVERIFY(button->isEnabled());

        // To the end of what is in memory: the next page is read on a worker, and says so.
        QScrollBar *bar = table->verticalScrollBar();
        bar->setValue(bar->maximum());
        QCOMPARE(note->text(), QStringLiteral("Loading older requests…"));
        QVERIFY(!button->isEnabled());
        // 500 rows from the newest that started by the time the bottom live row was recorded
        // (1201 and 1200, both shown already, then 1199 down to 702).
        QTRY_COMPARE(model.rowCount(), 100 + 498);
        QCOMPARE(startTimes(model).size(), 598);
        QCOMPARE(note->text(), QStringLiteral("Older requests load from the usage history as you scroll to the end."));

        // Traffic goes on meanwhile: a new request appears at the top, on disk too.
        store.record(request(1300));
        recent.record(request(1300));
        QVERIFY(store.flush());
        QTRY_COMPARE(model.rowCount(), 599);

        bar->setValue(bar->maximum());
        QTRY_COMPARE(model.rowCount(), 599 + 500); // 701 down to 202
        bar->setValue(bar->maximum());
        QTRY_COMPARE(model.rowCount(), 1301); // 201 down to the first: the end
        QTRY_COMPARE(note->text(), QStringLiteral("No older requests in the usage history."));
        QVERIFY(!button->isEnabled());
        const QSet<qint64> times = startTimes(model);
        QCOMPARE(times.size(), 1301);
        QVERIFY(times.contains(kBase)); // the first request
        QVERIFY(times.contains(kBase + 1'300'000)); // the live one
        // The oldest is at the end of the table, as it is sorted newest first.
        const QModelIndex last = table->model()->index(table->model()->rowCount() - 1, gui::RequestsModel::Time);
        QCOMPARE(table->model()->data(last, gui::RequestsModel::SortRole).toLongLong(), kBase);

        // At the end, scrolling asks for nothing more.
        bar->setValue(bar->maximum() - 1);
        bar->setValue(bar->maximum());
        QCOMPARE(note->text(), QStringLiteral("No older requests in the usage history."));
    }

    void afterARestartTheLastSessionShows()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        {
            store::MetricsStore store({dir.path()});
            QVERIFY(store.open().ok());
            for (int n = 0; n < 30; ++n)
                store.record(request(n));
        } // closed: every row committed
        live::RecentRequests recent(100); // nothing in memory yet
        gui::RequestsPage page(recent);
        page.setHistory(dir.path());
        page.resize(1000, 600);
        page.show();
        // Nothing to scroll: the page comes without asking.
        QTRY_COMPARE(page.model()->rowCount(), 30);
        QTRY_COMPARE(page.findChild<QLabel *>(QStringLiteral("pagingNote"))->text(),
                     QStringLiteral("No older requests in the usage history."));
        recent.record(request(30));
        QTRY_COMPARE(page.model()->rowCount(), 31);
        QCOMPARE(startTimes(*page.model()).size(), 31);
    }

    void noDatabaseYetIsNoHistory()
    {
        QTemporaryDir dir;
        live::RecentRequests recent(100);
        gui::RequestsPage page(recent);
        page.setHistory(dir.path());
        page.show();
        QTRY_COMPARE(page.findChild<QLabel *>(QStringLiteral("pagingNote"))->text(),
                     QStringLiteral("No older requests in the usage history."));
        QCOMPARE(page.model()->rowCount(), 0);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("usage.sqlite"))));
    }
};

QTEST_MAIN(TestRequestsPaging)
#include "tst_requestspaging.moc"
