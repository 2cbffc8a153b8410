// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The app with its gateway in-process, driven through the real window and tray: requests
// sent through the real gateway to the mock upstream appear on the requests page and move
// the dashboard, pause turns the next request into the documented 503 and resume restores
// service, and Quit during a stream lets it finish and stores its row.
#include <QAction>
#include <QLabel>
#include <QListView>
#include <QSignalSpy>
#include <QTest>

#include "gui/dashboardpage.h"
#include "gui/desktopapp.h"
#include "gui/format.h"
#include "gui/mainwindow.h"
#include "gui/minutechart.h"
#include "gui/requestsmodel.h"
#include "gui/requestspage.h"
#include "gui/trayicon.h"
#include "gui/usagesummary.h"
#include "guitestdata.h"
#include "mockupstream.h"
#include "secrets/clientkeystore.h"
#include "testhttpclient.h"

using namespace sy;
using testsupport::MockUpstream;
using testsupport::TestHttpClient;

namespace {
const QByteArray kChat = R"({"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hello"}]})";
const QByteArray kChatStream
    = R"({"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hello"}]})";
const QByteArray kMessagesStream
    = R"({"model":"anthropic/claude-haiku-4-5","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"hi"}]})";

quint16 portOf(const QString &url)
{
    return quint16(QUrl(url).port());
}

// One request on a fresh connection; the response once complete.
TestHttpClient::Response send(quint16 port, const QByteArray &path, const QByteArray &key, const QByteArray &body,
                              bool anthropic = false)
{
    TestHttpClient client;
    if (!client.connectTo(port))
        return {};
    QList<std::pair<QByteArray, QByteArray>> headers {{"Content-Type", "application/json"}};
    if (anthropic) {
        headers.append(std::pair<QByteArray, QByteArray>("x-api-key", key));
        headers.append(std::pair<QByteArray, QByteArray>("anthropic-version", "2023-06-01"));
    } else if (!key.isEmpty()) {
        headers.append(std::pair<QByteArray, QByteArray>("Authorization", "Bearer " + key));
    }
    client.send("POST", path, headers, body);
    if (!client.waitForResponses(1))
        return {};
    return client.responses().constFirst();
}
} // namespace

class TestDesktopApp : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void trafficShowsOnThePages()
    {
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        QTemporaryDir dir;
        const host::DataLocation location = guitest::writeDataDir(dir, upstream.baseUrl(), true);
        secrets::ClientKeyStore keys(dir.path());
        const auto laptop = keys.create(QStringLiteral("laptop"));
        const auto ci = keys.create(QStringLiteral("ci"));
        QVERIFY(laptop && ci);

        gui::DesktopApp app(location);
        app.start();
        QTRY_COMPARE(app.host().state(), host::Host::State::Serving);
        const quint16 port = portOf(app.host().url());
        const QByteArray laptopKey = laptop.value().toLatin1();
        const QByteArray ciKey = ci.value().toLatin1();

        // A session: two clients, two providers, a stream, a provider error, a refused key.
        QCOMPARE(send(port, "/v1/chat/completions", laptopKey, kChat).status, 200);
        QCOMPARE(send(port, "/v1/messages", ciKey, kMessagesStream, true).status, 200);
        upstream.enqueue(
            MockUpstream::Script::openAiError(500, "server_error", "server_error", "The server had an error"));
        QCOMPARE(send(port, "/v1/chat/completions", laptopKey, kChat).status, 500);
        QCOMPARE(send(port, "/v1/chat/completions", "sy-not-a-key", kChat).status, 401);
        // Later requests behave as if the earlier ones had been fine.
        const TestHttpClient::Response streamed = send(port, "/v1/chat/completions", ciKey, kChatStream);
        QCOMPARE(streamed.status, 200);
        QVERIFY(streamed.body.contains("[DONE]"));

        gui::RequestsPage *requests = app.window().requests();
        QTRY_COMPARE(requests->model()->rowCount(), 5);
        QCOMPARE(requests->model()->clients(), QStringList({QStringLiteral("ci"), QStringLiteral("laptop")}));
        QCOMPARE(requests->model()->providers(), QStringList({QStringLiteral("anthropic"), QStringLiteral("openai")}));
        // Newest first.
        QCOMPARE(requests->model()->record(0).client, QStringLiteral("ci"));
        QVERIFY(requests->model()->record(0).streamed);

        // The dashboard's charts count them within a second, the errors list shows the two failures
        // without content, and today's spend comes from the committed rows.
        gui::DashboardPage *dashboard = app.window().dashboard();
        auto *requestsChart = dashboard->findChild<gui::MinuteChart *>(QStringLiteral("requestsChart"));
        QTRY_COMPARE(requestsChart->total(0), 5.0);
        QCOMPARE(requestsChart->total(1), 2.0);
        QVERIFY(!requestsChart->isEmpty());
        auto *errors = dashboard->findChild<QListView *>(QStringLiteral("errorsList"));
        QCOMPARE(errors->model()->rowCount(), 2);
        const QString newestError = errors->model()->index(0, 0).data().toString();
        QVERIFY2(newestError.contains(u"401") && !newestError.contains(u"hello"), qPrintable(newestError));
        QVERIFY(errors->model()->index(1, 0).data().toString().contains(u"500"));

        QTRY_COMPARE_WITH_TIMEOUT(app.summary().today().requests, qint64(5), 10000);
        QVERIFY(app.summary().today().costMicroUsd > 0);
        auto *today = dashboard->findChild<QLabel *>(QStringLiteral("todaySpendValue"));
        QCOMPARE(today->text(), gui::Format::money(app.summary().today().costMicroUsd));
        QVERIFY(app.tray().toolTip().contains(gui::Format::money(app.summary().today().costMicroUsd)));
        QCOMPARE(app.summary().month().requests, qint64(5));

        // The empty state is gone: there are keys and traffic.
        QTRY_VERIFY(!dashboard->findChild<QLabel *>(QStringLiteral("emptyStateLabel"))->isVisible());
    }

    void pauseAnswers503AndResumeRestores()
    {
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        QTemporaryDir dir;
        gui::DesktopApp app(guitest::writeDataDir(dir, upstream.baseUrl(), false));
        app.start();
        QTRY_COMPARE(app.host().state(), host::Host::State::Serving);
        const quint16 port = portOf(app.host().url());
        QCOMPARE(send(port, "/v1/chat/completions", {}, kChat).status, 200);

        auto *pause = app.window().findChild<QAction *>(QStringLiteral("actionPause"));
        QVERIFY(pause);
        QTRY_VERIFY(pause->isEnabled()); // the window hears the state over the control channel
        pause->trigger();
        QTRY_COMPARE(app.host().state(), host::Host::State::Paused);
        QTRY_COMPARE(app.tray().iconName(), QStringLiteral(":/icons/tray-paused.svg"));
        QTRY_VERIFY(pause->isChecked());

        // Each caller gets the pause in its own wire format.
        const TestHttpClient::Response openAi = send(port, "/v1/chat/completions", {}, kChat);
        QCOMPARE(openAi.status, 503);
        QVERIFY2(openAi.body.contains("\"error\"") && openAi.body.contains("paused"), openAi.body.constData());
        const TestHttpClient::Response anthropic = send(port, "/v1/messages", "any", kMessagesStream, true);
        QCOMPARE(anthropic.status, 503);
        QVERIFY2(anthropic.body.contains("\"type\":\"error\"") || anthropic.body.contains("\"type\": \"error\""),
                 anthropic.body.constData());
        const int upstreamRequests = upstream.requestCount();

        // Resume from the tray menu: the next request is served.
        QVERIFY(app.tray().pauseAction()->isEnabled());
        app.tray().pauseAction()->trigger();
        QTRY_COMPARE(app.host().state(), host::Host::State::Serving);
        QTRY_VERIFY(!pause->isChecked()); // the window hears it queued
        QCOMPARE(send(port, "/v1/chat/completions", {}, kChat).status, 200);
        QCOMPARE(upstream.requestCount(), upstreamRequests + 1); // the paused ones never left

        // The requests page shows the refusals as refused by the gateway.
        gui::RequestsModel *model = app.window().requests()->model();
        QTRY_COMPARE(model->rowCount(), 4);
        QCOMPARE(model->record(1).status, 503);
        QCOMPARE(model->record(1).outcome, Outcome::Rejected);
    }

    void quitDuringStreamFinishesItAndStoresItsRow()
    {
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        upstream.setStreamDelay(150); // a stream that takes a while
        QTemporaryDir dir;
        gui::DesktopApp app(guitest::writeDataDir(dir, upstream.baseUrl(), false));
        app.start();
        QTRY_COMPARE(app.host().state(), host::Host::State::Serving);
        const quint16 port = portOf(app.host().url());
        QCOMPARE(send(port, "/v1/chat/completions", {}, kChat).status, 200);

        TestHttpClient client;
        QVERIFY(client.connectTo(port));
        client.send("POST", "/v1/chat/completions", {{"Content-Type", "application/json"}}, kChatStream);
        QVERIFY(client.waitForHead());
        QCOMPARE(client.current().status, 200);

        QSignalSpy finished(&app, &gui::DesktopApp::finished);
        app.tray().quitAction()->trigger();
        QVERIFY(app.isQuitting());
        QVERIFY(client.waitForResponses(1));
        const TestHttpClient::Response response = client.responses().constFirst();
        QVERIFY(response.complete);
        QVERIFY(response.body.contains("[DONE]"));
        QVERIFY(finished.wait(15000));
        QVERIFY(!app.window().isVisible());
        QCOMPARE(guitest::committedRows(dir.path()), qint64(2)); // the stream's row too
    }
};

QTEST_MAIN(TestDesktopApp)
#include "tst_desktopapp.moc"
