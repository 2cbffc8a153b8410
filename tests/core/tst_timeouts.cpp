// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Slow, silent and dying peers on both sides of the gateway, in-process on real loopback
// sockets with short configured timeouts: a client that sends nothing, drips its head a
// byte at a time, stops in the middle of a body or idles between requests is closed; an
// upstream that never answers, goes silent after its head or mid-stream, or resets in the
// middle of its head ends the request the way a client can tell; other clients are
// served meanwhile and nothing leaks.
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include "common/memoryusagesink.h"
#include "config/configloader.h"
#include "gateway/gatewayserver.h"
#include "gateway/gatewaystate.h"
#include "mockupstream.h"
#include "testhttpclient.h"

using namespace sy;
using sy::testsupport::MockUpstream;
using sy::testsupport::TestHttpClient;
using Headers = QList<std::pair<QByteArray, QByteArray>>;

Q_DECLARE_METATYPE(sy::testsupport::MockUpstream::Script)

namespace {
const QByteArray kClientKey = "sy-test-timeouts-0123456789";
const Headers kAuth {{"Authorization", "Bearer " + kClientKey}, {"Content-Type", "application/json"}};
constexpr int kTimeoutMs = 800; // every timeout under test
// A timer fires late under load (coarse timers, a busy CI machine): the upper bound is loose.
constexpr int kSlackMs = 2500;

int openDescriptors()
{
    return int(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::Files | QDir::System).size());
}

QByteArray chatBody(bool stream)
{
    return R"({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello"}])"
        + (stream ? QByteArray(R"(, "stream": true)") : QByteArray()) + "}";
}
} // namespace

class TestTimeouts : public QObject
{
    Q_OBJECT

private:
    MockUpstream *m_upstream = nullptr;
    MemoryUsageSink *m_usage = nullptr;
    gateway::GatewayServer *m_gateway = nullptr;

    bool startGateway()
    {
        const QByteArray hash = QCryptographicHash::hash(kClientKey, QCryptographicHash::Sha256).toHex();
        const QString json = QStringLiteral(R"({
            "listen": "127.0.0.1:0",
            "auth": {"require_client_key": true, "client_keys": [{"name": "agent", "sha256": "%1"}]},
            "providers": [{"id": "openai", "kind": "openai", "base_url": "%2/v1", "api_key_env": "SY_TEST_TIMEOUTS_KEY"}],
            "server": {"worker_threads": 1, "header_timeout_ms": %3, "body_timeout_ms": %3, "idle_timeout_ms": %3},
            "upstream": {"connect_timeout_ms": 2000, "first_byte_timeout_ms": %3, "idle_timeout_ms": %3}
        })")
                                 .arg(QString::fromLatin1(hash), m_upstream->baseUrl().toString())
                                 .arg(kTimeoutMs);
        auto loaded = config::ConfigLoader::fromJson(json.toUtf8());
        if (!loaded) {
            qWarning() << "config:" << loaded.error() << json;
            return false;
        }
        auto state = gateway::GatewayState::create(std::move(loaded).value());
        if (!state) {
            qWarning() << state.error();
            return false;
        }
        m_gateway = new gateway::GatewayServer(state.value(), *m_usage);
        return bool(m_gateway->listen());
    }

    // A request that must go through as if nothing had happened before it.
    void expectHealthyRequest()
    {
        TestHttpClient c;
        QVERIFY(c.connectTo(m_gateway->port()));
        c.send("POST", "/v1/chat/completions", kAuth, chatBody(false));
        QVERIFY(c.waitForResponses(1));
        QCOMPARE(c.responses().first().status, 200);
    }

private slots:
    void initTestCase() { qputenv("SY_TEST_TIMEOUTS_KEY", "sk-upstream-timeouts"); }

    void init()
    {
        m_upstream = new MockUpstream;
        QVERIFY(m_upstream->listen());
        m_usage = new MemoryUsageSink;
        QVERIFY(startGateway());
    }

    void cleanup()
    {
        delete m_gateway;
        m_gateway = nullptr;
        delete m_upstream;
        delete m_usage;
    }

    void defaultsAreSane()
    {
        auto loaded = config::ConfigLoader::fromJson(R"({"listen": "127.0.0.1:0"})");
        QVERIFY(loaded);
        QCOMPARE(loaded.value().headerTimeoutMs, 30'000);
        QCOMPARE(loaded.value().bodyTimeoutMs, 60'000);
        QCOMPARE(loaded.value().idleTimeoutMs, 120'000);
        QCOMPARE(loaded.value().upstreamIdleTimeoutMs, 300'000);
        QVERIFY(!config::ConfigLoader::fromJson(R"({"server": {"header_timeout_ms": 0}})"));
    }

    void slowClientsAreClosed_data()
    {
        QTest::addColumn<QByteArray>("first"); // sent at once
        QTest::addColumn<QByteArray>("drip"); // then a byte per tick, for longer than the timeout
        QTest::addColumn<bool>("answered"); // a complete request went first: 200 expected
        QTest::addColumn<bool>("expect408"); // half a request: 408, then closed

        const QByteArray head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + kClientKey + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
        QTest::newRow("silent after connect") << QByteArray() << QByteArray() << false << false;
        QTest::newRow("head a byte at a time") << QByteArray() << head << false << true;
        QTest::newRow("silent in the body") << head + "{\"model\"" << QByteArray() << false << true;
        QTest::newRow("idle between requests")
            << QByteArray("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") << QByteArray() << true << false;
    }

    void slowClientsAreClosed()
    {
        QFETCH(QByteArray, first);
        QFETCH(QByteArray, drip);
        QFETCH(bool, answered);
        QFETCH(bool, expect408);

        QTcpSocket slow;
        slow.connectToHost(QHostAddress::LocalHost, m_gateway->port());
        QVERIFY(slow.waitForConnected(5000));
        QElapsedTimer since;
        since.start();
        QByteArray received;
        connect(&slow, &QTcpSocket::readyRead, this, [&] { received += slow.readAll(); });
        if (!first.isEmpty())
            slow.write(first);

        // Meanwhile another client works on its own connection, a request per tick, and
        // the slow one gets a byte per tick (never its whole head within the timeout).
        TestHttpClient other;
        QVERIFY(other.connectTo(m_gateway->port()));
        int sentByOther = 0;
        qsizetype dripped = 0;
        QTimer tick;
        connect(&tick, &QTimer::timeout, this, [&] {
            if (dripped < drip.size() && slow.state() == QAbstractSocket::ConnectedState)
                slow.write(drip.mid(dripped++, 1));
            other.send("GET", "/healthz", {});
            ++sentByOther;
        });
        tick.start(kTimeoutMs / 8);

        QSignalSpy closed(&slow, &QTcpSocket::disconnected);
        QVERIFY(closed.wait(kTimeoutMs + kSlackMs));
        const qint64 elapsed = since.elapsed();
        tick.stop();
        QVERIFY2(elapsed >= kTimeoutMs - 50, qPrintable(QString::number(elapsed)));
        if (answered)
            QVERIFY(received.startsWith("HTTP/1.1 200 "));
        if (expect408)
            QVERIFY2(received.startsWith("HTTP/1.1 408 "), received.constData());
        else if (!answered)
            QVERIFY2(received.isEmpty(), received.constData());
        if (!drip.isEmpty())
            QVERIFY(dripped < drip.size()); // closed before the head could complete

        // The other client was answered all along, on one connection kept alive by use.
        QVERIFY(other.waitForResponses(sentByOther));
        for (const auto &response : other.responses())
            QCOMPARE(response.status, 200);
        QVERIFY(other.isConnected());
        expectHealthyRequest();
    }

    void upstreamSilenceEndsTheRequest_data()
    {
        QTest::addColumn<MockUpstream::Script>("script");
        QTest::addColumn<bool>("streamed");
        QTest::addColumn<int>("status"); // what the client sees first; 0: nothing
        QTest::addColumn<bool>("truncated"); // a response began, then the connection broke
        QTest::addColumn<int>("outcome");

        MockUpstream::Script stall = MockUpstream::Script::failure(MockUpstream::Fault::Stall);
        QTest::newRow("accepts and never answers") << stall << false << 504 << false << int(Outcome::UpstreamFailed);

        const QByteArray event = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[]}\n\n";
        MockUpstream::Script afterHead = MockUpstream::Script::sse({event});
        afterHead.chunks.first().delayMs = 60'000; // the head, then nothing
        afterHead.chunkDelayMs = -1;
        QTest::newRow("silent after its head") << afterHead << true << 200 << true << int(Outcome::UpstreamTruncated);

        MockUpstream::Script midStream = MockUpstream::Script::sse({event, event, event});
        midStream.chunkDelayMs = -1;
        midStream.chunks[1].delayMs = 0;
        midStream.chunks[2].delayMs = 60'000;
        QTest::newRow("silent mid-stream") << midStream << true << 200 << true << int(Outcome::UpstreamTruncated);

        MockUpstream::Script halfHead;
        halfHead.raw = "HTTP/1.1 200 OK\r\ncontent-type: appl";
        halfHead.fault = MockUpstream::Fault::ResetAfterHeaders;
        QTest::newRow("reset in the middle of its head")
            << halfHead << false << 502 << false << int(Outcome::UpstreamFailed);

        MockUpstream::Script resetAfterHead = MockUpstream::Script::defaultResponse();
        resetAfterHead.fault = MockUpstream::Fault::ResetAfterHeaders;
        QTest::newRow("reset right after its head")
            << resetAfterHead << true << 200 << true << int(Outcome::UpstreamTruncated);
    }

    void upstreamSilenceEndsTheRequest()
    {
        QFETCH(MockUpstream::Script, script);
        QFETCH(bool, streamed);
        QFETCH(int, status);
        QFETCH(bool, truncated);
        QFETCH(int, outcome);

        expectHealthyRequest(); // warm: the pool and the worker's handler exist
        QTRY_COMPARE(m_usage->records().size(), 1);
        const int baseline = openDescriptors();

        m_upstream->enqueue(script);
        {
            TestHttpClient c;
            QVERIFY(c.connectTo(m_gateway->port()));
            QElapsedTimer since;
            since.start();
            c.send("POST", "/v1/chat/completions", kAuth, chatBody(streamed));
            if (truncated) {
                QVERIFY(c.waitForDisconnected(kTimeoutMs + kSlackMs));
                QCOMPARE(c.current().status, status);
                QVERIFY(!c.current().complete); // a broken stream, never a clean end
                QVERIFY(c.responses().isEmpty());
            } else {
                QVERIFY(c.waitForResponses(1, kTimeoutMs + kSlackMs));
                QCOMPARE(c.responses().first().status, status);
                QVERIFY(c.responses().first().body.contains("\"error\""));
            }
            QTRY_COMPARE(m_usage->records().size(), 2);
            const UsageRecord row = m_usage->records().last();
            QCOMPARE(int(row.outcome), outcome);
            QCOMPARE(row.status, status);
        }
        // Later requests behave as if nothing had happened, and nothing is left open.
        expectHealthyRequest();
        expectHealthyRequest();
        // One worker, so one pooled upstream connection before and after.
        QTRY_VERIFY2(openDescriptors() <= baseline, qPrintable(QString::number(openDescriptors())));
        QTRY_COMPARE(m_usage->records().size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestTimeouts)
#include "tst_timeouts.moc"
