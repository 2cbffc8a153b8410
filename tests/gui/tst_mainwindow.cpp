// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The window as a person meets it, without traffic: each page built from its form with
// the widgets tests and screen readers find by name, close-to-tray, a hidden window that
// draws nothing, and the requests page's model, filters and detail pane.
#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <QTest>

#include "gui/dashboardpage.h"
#include "gui/desktopapp.h"
#include "gui/format.h"
#include "gui/mainwindow.h"
#include "gui/recenterrorsmodel.h"
#include "gui/requestsfiltermodel.h"
#include "gui/requestsmodel.h"
#include "gui/requestspage.h"
#include "gui/trayicon.h"
#include "guitestdata.h"
#include "mockupstream.h"

using namespace sy;

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    static UsageRecord record(const QString &client, const QString &provider, const QString &model, int status,
                              Outcome outcome = Outcome::Completed)
    {
        UsageRecord r;
        r.startedAt = QDateTime::currentDateTimeUtc();
        r.client = client;
        r.provider = provider;
        r.model = model;
        r.endpoint = QStringLiteral("/v1/chat/completions");
        r.status = status;
        r.outcome = outcome;
        r.inputTokens = 10;
        r.outputTokens = 5;
        r.costMicroUsd = 120;
        r.priceBookVersion = QStringLiteral("2026-11-23.6");
        r.latencyMs = 340;
        r.ttfbMs = 120;
        return r;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void pagesComeFromTheirForms()
    {
        testsupport::MockUpstream upstream;
        QVERIFY(upstream.listen());
        QTemporaryDir dir;
        gui::DesktopApp app(guitest::writeDataDir(dir, upstream.baseUrl(), true));
        app.start();
        QTRY_COMPARE(app.host().state(), host::Host::State::Serving);

        gui::MainWindow &window = app.window();
        QVERIFY(window.isVisible());
        auto *pageList = window.findChild<QListWidget *>(QStringLiteral("pageList"));
        auto *pages = window.findChild<QStackedWidget *>(QStringLiteral("pages"));
        QVERIFY(pageList && pages);
        QCOMPARE(pageList->count(), 2);
        QCOMPARE(pages->count(), 2);
        QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("dashboardPage"));
        for (const char *name : {"requestsChart", "tokensChart", "latencyChart", "errorsList", "envTable",
                                 "addressEdit", "copyAddressButton", "todaySpendValue", "monthSpendValue",
                                 "burnRateValue", "inFlightValue", "emptyStateLabel"})
            QVERIFY2(window.dashboard()->findChild<QWidget *>(QString::fromLatin1(name)), name);
        for (const char *name : {"requestsTable", "clientFilter", "providerFilter", "modelFilter", "statusFilter",
                                 "textFilter", "detailBox", "detailCost", "detailPriceBook", "detailAttempts"})
            QVERIFY2(window.requests()->findChild<QWidget *>(QString::fromLatin1(name)), name);

        pageList->setCurrentRow(1);
        QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("requestsPage"));

        // The address and the lines to paste follow the port the gateway got.
        auto *address = window.dashboard()->findChild<QLineEdit *>(QStringLiteral("addressEdit"));
        QTRY_COMPARE(address->text(), app.host().url());
        // No client key yet: the empty state says how to make one, for this data dir.
        auto *empty = window.dashboard()->findChild<QLabel *>(QStringLiteral("emptyStateLabel"));
        QTRY_VERIFY(empty->text().contains(u"client-key create"));
        QVERIFY(empty->text().contains(dir.path()));
        QCOMPARE(window.findChild<QLabel *>(QStringLiteral("modeLabel"))->text(),
                 QStringLiteral("Gateway in this app"));
        QTRY_VERIFY(window.findChild<QLabel *>(QStringLiteral("addressLabel"))->text().contains(app.host().url()));
    }

    void hiddenWindowRedrawsNothing()
    {
        testsupport::MockUpstream upstream;
        QVERIFY(upstream.listen());
        QTemporaryDir dir;
        gui::DesktopApp app(guitest::writeDataDir(dir, upstream.baseUrl(), false));
        app.start();
        gui::DashboardPage *dashboard = app.window().dashboard();
        QTRY_VERIFY(dashboard->isRedrawing());
        app.window().hide();
        QVERIFY(!dashboard->isRedrawing());
        app.showWindow();
        QVERIFY(dashboard->isRedrawing());
        app.window().showPage(gui::MainWindow::RequestsIndex); // another page: the dashboard is hidden
        QVERIFY(!dashboard->isRedrawing());
    }

    void closingWithoutTrayQuitsAndWithTrayHides()
    {
        testsupport::MockUpstream upstream;
        QVERIFY(upstream.listen());
        QTemporaryDir dir;
        gui::DesktopApp app(guitest::writeDataDir(dir, upstream.baseUrl(), false));
        app.start();
        QTRY_COMPARE(app.host().state(), host::Host::State::Serving);

        app.window().setTrayAvailable(true);
        QVERIFY(app.window().closesToTray());
        QVERIFY(app.window().close());
        QVERIFY(!app.window().isVisible());
        QVERIFY(!app.isQuitting());
        QCOMPARE(app.host().state(), host::Host::State::Serving);
        app.tray().openAction()->trigger();
        QVERIFY(app.window().isVisible());

        // Where no tray exists, closing is the only way out: it quits (gracefully).
        app.window().setTrayAvailable(false);
        QSignalSpy finished(&app, &gui::DesktopApp::finished);
        app.window().close();
        QVERIFY(app.isQuitting());
        QVERIFY(finished.wait(10000));
    }

    void recentErrorsTakeABatch()
    {
        // Under load the dashboard adds a second's requests at once: errors only, newest
        // first, at most a list's worth, the older ones pushed out.
        gui::RecentErrorsModel model;
        model.add(record(QStringLiteral("old"), QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), 502));
        QList<UsageRecord> batch; // oldest first
        for (int i = 0; i < gui::RecentErrorsModel::kCapacity + 2; ++i) {
            batch << record(QStringLiteral("ok"), QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), 200);
            batch << record(QStringLiteral("c%1").arg(i), QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), 429);
        }
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.addAll(batch);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(model.rowCount(), gui::RecentErrorsModel::kCapacity);
        const QString newest = model.index(0, 0).data(Qt::ToolTipRole).toString();
        QVERIFY2(newest.contains(QStringLiteral("c%1").arg(gui::RecentErrorsModel::kCapacity + 1)), qPrintable(newest));
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(model.index(row, 0).data().toString().contains(u"429"));
        model.addAll({record(QStringLiteral("ok"), QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), 200)});
        QCOMPARE(inserted.size(), 1); // no error: nothing changes
    }

    void requestsModelFiltersAndDetails()
    {
        testsupport::MockUpstream upstream;
        QVERIFY(upstream.listen());
        QTemporaryDir dir;
        gui::DesktopApp app(guitest::writeDataDir(dir, upstream.baseUrl(), false));
        app.start();
        gui::RequestsPage *page = app.window().requests();
        gui::RequestsModel *model = page->model();
        model->add(record(QStringLiteral("laptop"), QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), 200));
        model->add(record(QStringLiteral("ci"), QStringLiteral("anthropic"), QStringLiteral("claude-haiku-4-5"), 529));
        model->add(record(QStringLiteral("ci"), {}, {}, 401, Outcome::Rejected));
        model->flush();
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(model->index(0, gui::RequestsModel::Status).data().toInt(), 401); // newest first

        auto *clients = page->findChild<QComboBox *>(QStringLiteral("clientFilter"));
        QCOMPARE(clients->count(), 3); // all, ci, laptop
        clients->setCurrentIndex(clients->findText(QStringLiteral("ci")));
        QCOMPARE(page->filterModel()->rowCount(), 2);
        auto *status = page->findChild<QComboBox *>(QStringLiteral("statusFilter"));
        status->setCurrentIndex(
            status->findData(QVariant::fromValue(gui::RequestsFilterModel::StatusFilter::ProviderErrors)));
        QCOMPARE(page->filterModel()->rowCount(), 1);
        clients->setCurrentIndex(0);
        status->setCurrentIndex(0);
        auto *text = page->findChild<QLineEdit *>(QStringLiteral("textFilter"));
        QTest::keyClicks(text, QStringLiteral("haiku"));
        QCOMPARE(page->filterModel()->rowCount(), 1);
        text->clear();
        QCOMPARE(page->filterModel()->rowCount(), 3);

        auto *table = page->findChild<QTableView *>(QStringLiteral("requestsTable"));
        table->selectRow(2); // the oldest: the successful one
        QCOMPARE(page->findChild<QLabel *>(QStringLiteral("detailProvider"))->text(), QStringLiteral("openai"));
        QCOMPARE(page->findChild<QLabel *>(QStringLiteral("detailPriceBook"))->text(), QStringLiteral("2026-11-23.6"));
        QCOMPARE(page->findChild<QLabel *>(QStringLiteral("detailCost"))->text(), gui::Format::money(120));

        // Capped: the oldest leave first.
        for (int i = 0; i < model->capacity(); ++i)
            model->add(record(QStringLiteral("bulk"), QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), 200));
        model->flush();
        QCOMPARE(model->rowCount(), model->capacity());
        QCOMPARE(model->index(model->rowCount() - 1, gui::RequestsModel::Client).data().toString(),
                 QStringLiteral("bulk"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
