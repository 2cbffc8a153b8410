// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// `switchyard status`, run in-process through the command registry against an in-process
// control server (a fake gateway) and against a data dir where none runs.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "commandrun.h"
#include "common/calendar.h"
#include "common/clock.h"
#include "common/usagerecord.h"
#include "control/controlprotocol.h"
#include "control/controlserver.h"
#include "live/livefigures.h"

using namespace sy;

namespace {

class FixedClock final : public Clock
{
public:
    QDateTime nowUtc() const override { return QDateTime(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC); }
};

using Run = testsupport::CommandRun;

Run run(const QStringList &arguments)
{
    return testsupport::runCommand(arguments);
}

} // namespace

class TestStatusCommand : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FixedClock m_clock;
    live::LiveFigures m_figures;
    bool m_paused = false;

    control::ControlServer::Source source()
    {
        control::ControlServer::Source s;
        s.state = [this] { return m_paused ? QStringLiteral("paused") : QStringLiteral("serving"); };
        s.url = [] { return QStringLiteral("http://127.0.0.1:7788"); };
        s.paused = [this] { return m_paused; };
        s.requestsInFlight = [] { return qint64(3); };
        s.since = [](const QDateTime &from) {
            store::UsageAggregate today;
            today.requests = 1234;
            today.costMicroUsd = 4'560'000;
            today.unpricedRequests = 2;
            today.errors = 1;
            // Asked for the month too: it began before today.
            if (from < Calendar::startOfDay(Clock::instance().nowUtc())) {
                today.requests += 1000;
                today.costMicroUsd += 10'000'000;
            }
            return today;
        };
        s.figures = &m_figures;
        return s;
    }

private slots:
    void initTestCase()
    {
        Clock::setInstance(&m_clock);
        Calendar::setZone(QTimeZone::utc());
        UsageRecord record;
        record.status = 200;
        record.ttfbMs = 10;
        record.inputTokens = 10;
        record.outputTokens = 10;
        record.costMicroUsd = 105'000; // $0.42 an hour at this pace
        m_figures.record(record);
    }
    void cleanupTestCase()
    {
        Clock::setInstance(nullptr);
        Calendar::setZone(QTimeZone());
    }

    void noGateway()
    {
        const Run text = run({QStringLiteral("status"), QStringLiteral("--data-dir"), m_dir.path()});
        QCOMPARE(text.code, 3);
        QVERIFY2(text.out.contains("not running"), text.out.constData());
        const Run json
            = run({QStringLiteral("status"), QStringLiteral("--json"), QStringLiteral("--data-dir"), m_dir.path()});
        QCOMPARE(json.code, 3);
        QCOMPARE(QJsonDocument::fromJson(json.out).object().value(u"running").toBool(true), false);
        // A data dir that does not exist at all.
        QCOMPARE(
            run({QStringLiteral("status"), QStringLiteral("--data-dir"), m_dir.filePath(QStringLiteral("nowhere"))})
                .code,
            3);
        // A socket file left by a crashed gateway.
        {
            QFile stale(control::ControlProtocol::socketPath(m_dir.path()));
            QVERIFY(stale.open(QIODevice::WriteOnly));
        }
        QCOMPARE(run({QStringLiteral("status"), QStringLiteral("--data-dir"), m_dir.path()}).code, 3);
        QFile::remove(control::ControlProtocol::socketPath(m_dir.path()));
    }

    void badOption()
    {
        const Run bad = run({QStringLiteral("status"), QStringLiteral("--jsn")});
        QCOMPARE(bad.code, 2);
        QVERIFY(bad.err.contains("--jsn") || bad.err.contains("jsn"));
    }

    void text()
    {
        control::ControlServer server(m_dir.path(), source());
        QVERIFY(server.listen().ok());
        const Run status = run({QStringLiteral("status"), QStringLiteral("--data-dir"), m_dir.path()});
        QCOMPARE(status.code, 0);
        const QString out = QString::fromUtf8(status.out);
        QVERIFY2(out.contains(u"state:     serving at http://127.0.0.1:7788"), status.out.constData());
        QVERIFY2(out.contains(u"today:     1234 requests, $4.56 + 2 unpriced, 1 error"), status.out.constData());
        QVERIFY2(out.contains(u"month:     2234 requests, $14.56 + 2 unpriced, 1 error"), status.out.constData());
        QVERIFY2(out.contains(u"burn rate: $0.42/hour"), status.out.constData());
        QVERIFY2(out.contains(u"in flight: 3"), status.out.constData());
        QVERIFY(status.err.isEmpty());
    }

    void json()
    {
        control::ControlServer server(m_dir.path(), source());
        QVERIFY(server.listen().ok());
        m_paused = true;
        const Run status
            = run({QStringLiteral("status"), QStringLiteral("--json"), QStringLiteral("--data-dir"), m_dir.path()});
        m_paused = false;
        QCOMPARE(status.code, 0);
        QCOMPARE(status.out.count('\n'), 1);
        const QJsonObject object = QJsonDocument::fromJson(status.out).object();
        QCOMPARE(object.value(u"running").toBool(), true);
        QCOMPARE(object.value(u"state").toString(), QStringLiteral("paused"));
        QCOMPARE(object.value(u"paused").toBool(), true);
        QCOMPARE(object.value(u"url").toString(), QStringLiteral("http://127.0.0.1:7788"));
        QCOMPARE(object.value(u"in_flight").toInteger(), 3);
        QCOMPARE(object.value(u"today").toObject().value(u"requests").toInteger(), 1234);
        QCOMPARE(object.value(u"today").toObject().value(u"cost_usd").toDouble(), 4.56);
        QCOMPARE(object.value(u"today").toObject().value(u"day_start").toString(),
                 QStringLiteral("2026-11-23T00:00:00Z"));
        QCOMPARE(object.value(u"burn_rate_micro_usd_per_hour").toInteger(), 420'000);
        QVERIFY(!object.contains(u"ok"));
    }
};

QTEST_GUILESS_MAIN(TestStatusCommand)
#include "tst_statuscommand.moc"
