// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// One app per data dir, and the window over a gateway in another process: a second launch
// of the real binary hands over to the first window (it comes forward, the second exits
// 0), and the window attaches to a running `switchyard serve` process, shows its traffic on
// the requests page and the dashboard, pauses it over the channel, says so when it goes
// away and starts the gateway here when asked; Quit never stops the serve.
#include <QAction>
#include <QElapsedTimer>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include "control/gatewaylink.h"
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
#include "serveprocess.h"
#include "testhttpclient.h"

using namespace sy;
using testsupport::MockUpstream;
using testsupport::ServeProcess;
using testsupport::TestHttpClient;

namespace {
const QByteArray kChat = R"({"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hello"}]})";
const QByteArray kMessages
    = R"({"model":"anthropic/claude-haiku-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}]})";

int post(quint16 port, const QByteArray &path, const QByteArray &body)
{
    TestHttpClient client;
    if (!client.connectTo(port))
        return 0;
    QList<std::pair<QByteArray, QByteArray>> headers {{"Content-Type", "application/json"},
                                                      {"anthropic-version", "2023-06-01"}};
    client.send("POST", path, headers, body);
    if (!client.waitForResponses(1))
        return 0;
    return client.responses().constFirst().status;
}

QProcessEnvironment appEnvironment(const QTemporaryDir &dir)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("xdg")));
    return environment;
}
} // namespace

class TestAttach : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void aSecondLaunchHandsOverToTheFirst()
    {
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        QTemporaryDir dir;
        const host::DataLocation location = guitest::writeDataDir(dir, upstream.baseUrl(), false);
        gui::DesktopApp first(location);
        first.start();
        QTRY_COMPARE(first.host().state(), host::Host::State::Serving);
        QTRY_VERIFY(first.link().isLinked());
        QCOMPARE(first.mode(), gui::DesktopApp::Mode::InProcess);
        first.window().hide(); // in the tray: the second launch must bring it back
        QSignalSpy raised(&first, &gui::DesktopApp::raised);

        QProcess second;
        second.setProcessEnvironment(appEnvironment(dir));
        QElapsedTimer launch;
        launch.start();
        second.start(QStringLiteral(SWITCHYARD_BINARY), {QStringLiteral("--data-dir"), dir.path()});
        QVERIFY(second.waitForStarted());
        QSignalSpy ended(&second, &QProcess::finished);
        QVERIFY(ended.wait(15000)); // this loop runs meanwhile: the first app answers
        const qint64 handoverMs = launch.elapsed();
        QCOMPARE(second.exitStatus(), QProcess::NormalExit);
        QCOMPARE(second.exitCode(), 0);
        const QByteArray out = second.readAllStandardOutput();
        QVERIFY2(out.contains("already running") && !out.contains("listening on"), out.constData());
        QTRY_COMPARE(first.raiseCount(), 1);
        QCOMPARE(raised.size(), 1);
        QVERIFY(first.window().isVisible());
        qInfo("second launch to its exit (hand-over): %lld ms", handoverMs);

        // The first one still serves, alone on its data dir.
        QCOMPARE(post(quint16(QUrl(first.host().url()).port()), "/v1/chat/completions", kChat), 200);
        QCOMPARE(first.mode(), gui::DesktopApp::Mode::InProcess);
    }

    void theWindowAttachesToARunningServe()
    {
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        QTemporaryDir dir;
        const host::DataLocation location = guitest::writeDataDir(dir, upstream.baseUrl(), false);
        ServeProcess serve;
        QVERIFY2(serve.start(location.configFile, location.dataDir), qPrintable(serve.errorString()));

        gui::DesktopApp app(location);
        QSignalSpy modes(&app, &gui::DesktopApp::modeChanged);
        app.start();
        QTRY_COMPARE(app.mode(), gui::DesktopApp::Mode::Attached);
        QCOMPARE(app.attachedPid(), serve.processId());
        QCOMPARE(app.host().state(), host::Host::State::Stopped); // no gateway in this process
        auto *mode = app.window().findChild<QLabel *>(QStringLiteral("modeLabel"));
        QCOMPARE(mode->text(), QStringLiteral("Attached to switchyard serve (pid %1)").arg(serve.processId()));
        QTRY_COMPARE(app.window().findChild<QLabel *>(QStringLiteral("addressLabel"))->text(),
                     QStringLiteral("Listening on %1").arg(serve.baseUrl().toString()));

        // The serve's traffic: two providers, a provider error, a model nobody serves.
        upstream.enqueue(
            MockUpstream::Script::openAiError(500, "server_error", "server_error", "The server had an error"));
        QCOMPARE(post(serve.port(), "/v1/chat/completions", kChat), 500);
        QCOMPARE(post(serve.port(), "/v1/chat/completions", kChat), 200);
        QCOMPARE(post(serve.port(), "/v1/messages", kMessages), 200);
        QCOMPARE(post(serve.port(), "/v1/chat/completions", kChat), 200);

        gui::RequestsPage *requests = app.window().requests();
        QTRY_COMPARE_WITH_TIMEOUT(requests->model()->rowCount(), 4, 10000);
        QCOMPARE(requests->model()->providers(), QStringList({QStringLiteral("anthropic"), QStringLiteral("openai")}));
        QCOMPARE(requests->model()->record(3).status, 500); // newest first
        gui::DashboardPage *dashboard = app.window().dashboard();
        auto *requestsChart = dashboard->findChild<gui::MinuteChart *>(QStringLiteral("requestsChart"));
        QTRY_COMPARE_WITH_TIMEOUT(requestsChart->total(0), 4.0, 10000);
        QCOMPARE(requestsChart->total(1), 1.0);
        QTRY_COMPARE_WITH_TIMEOUT(app.summary().today().requests, qint64(4), 10000);
        QVERIFY(app.summary().today().costMicroUsd > 0);
        QCOMPARE(dashboard->findChild<QLabel *>(QStringLiteral("todaySpendValue"))->text(),
                 gui::Format::money(app.summary().today().costMicroUsd));
        QTRY_VERIFY(app.tray().toolTip().contains(gui::Format::money(app.summary().today().costMicroUsd)));

        // Pause from the window reaches the serve over the channel; resume restores it.
        auto *pause = app.window().findChild<QAction *>(QStringLiteral("actionPause"));
        QTRY_VERIFY(pause->isEnabled());
        pause->trigger();
        QTRY_COMPARE(app.tray().iconName(), QStringLiteral(":/icons/tray-paused.svg"));
        QCOMPARE(post(serve.port(), "/v1/chat/completions", kChat), 503);
        app.tray().pauseAction()->trigger();
        QTRY_COMPARE(app.tray().iconName(), QStringLiteral(":/icons/tray-serving.svg"));
        QCOMPARE(post(serve.port(), "/v1/chat/completions", kChat), 200);

        // The serve goes away: its last requests still reach the window, which says so and
        // offers to start the gateway here.
        QVERIFY(serve.terminate());
        QTRY_COMPARE_WITH_TIMEOUT(requests->model()->rowCount(), 6, 10000);
        auto *startHere = app.window().findChild<QPushButton *>(QStringLiteral("startHereButton"));
        QTRY_VERIFY(startHere->isVisible());
        QCOMPARE(app.tray().iconName(), QStringLiteral(":/icons/tray-error.svg"));
        startHere->click();
        QTRY_COMPARE_WITH_TIMEOUT(app.host().state(), host::Host::State::Serving, 10000);
        QCOMPARE(app.mode(), gui::DesktopApp::Mode::InProcess);
        QCOMPARE(mode->text(), QStringLiteral("Gateway in this app"));
        QTRY_VERIFY(app.link().isLinked());
        QCOMPARE(post(quint16(QUrl(app.host().url()).port()), "/v1/chat/completions", kChat), 200);
        QTRY_COMPARE_WITH_TIMEOUT(requests->model()->rowCount(), 7, 10000);
    }

    void quitLeavesTheServeRunning()
    {
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        QTemporaryDir dir;
        const host::DataLocation location = guitest::writeDataDir(dir, upstream.baseUrl(), false);
        ServeProcess serve;
        QVERIFY2(serve.start(location.configFile, location.dataDir), qPrintable(serve.errorString()));

        gui::DesktopApp app(location);
        app.start();
        QTRY_COMPARE(app.mode(), gui::DesktopApp::Mode::Attached);
        QSignalSpy finished(&app, &gui::DesktopApp::finished);
        app.tray().quitAction()->trigger();
        QVERIFY(finished.wait(5000));
        QVERIFY(serve.isRunning());
        QCOMPARE(post(serve.port(), "/v1/chat/completions", kChat), 200);
    }
};

QTEST_MAIN(TestAttach)
#include "tst_attach.moc"
