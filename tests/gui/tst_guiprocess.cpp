// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The real binary as a session sees it: `switchyard` with only --data-dir starts the app
// (the window offscreen, the gateway inside), and SIGTERM (a session logging out) does
// what Quit does: the stream in flight finishes, its row is committed, the exit is clean.
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include "guitestdata.h"
#include "mockupstream.h"
#include "testhttpclient.h"

using sy::testsupport::MockUpstream;
using sy::testsupport::TestHttpClient;

class TestGuiProcess : public QObject
{
    Q_OBJECT

private slots:
    void sigtermFinishesTheStreamAndStoresItsRow()
    {
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        upstream.setStreamDelay(150);
        QTemporaryDir dir;
        guitest::writeDataDir(dir, upstream.baseUrl(), false);

        QProcess app;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("xdg")));
        app.setProcessEnvironment(environment);
        app.start(QStringLiteral(SWITCHYARD_BINARY), {QStringLiteral("--data-dir"), dir.path()});
        QVERIFY(app.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += app.readAllStandardOutput()).contains("listening on http://"), 15000);
        const QUrl url(QString::fromLatin1(out.mid(out.indexOf("http://")).trimmed()));
        QVERIFY(url.port() > 0);

        TestHttpClient client;
        QVERIFY(client.connectTo(quint16(url.port())));
        client.send("POST", "/v1/chat/completions", {{"Content-Type", "application/json"}},
                    R"({"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]})");
        QVERIFY(client.waitForHead());
        QCOMPARE(client.current().status, 200);

        app.terminate(); // SIGTERM
        QVERIFY(client.waitForResponses(1));
        QVERIFY(client.responses().constFirst().complete);
        QVERIFY(client.responses().constFirst().body.contains("[DONE]"));
        QVERIFY(app.waitForFinished(15000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);
        QCOMPARE(guitest::committedRows(dir.path()), qint64(1));
    }

    // No display: the app says so and serves headless instead of dying.
    void noDisplayServesHeadless()
    {
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        QTemporaryDir dir;
        guitest::writeDataDir(dir, upstream.baseUrl(), false);
        QProcess app;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            environment.remove(QString::fromLatin1(name));
        app.setProcessEnvironment(environment);
        app.start(QStringLiteral(SWITCHYARD_BINARY), {QStringLiteral("--data-dir"), dir.path()});
        QVERIFY(app.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += app.readAllStandardOutput()).contains("listening on http://"), 15000);
        QVERIFY(app.readAllStandardError().contains("no display"));
        app.terminate();
        QVERIFY(app.waitForFinished(15000));
        QCOMPARE(app.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestGuiProcess)
#include "tst_guiprocess.moc"
