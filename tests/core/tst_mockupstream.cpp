// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The mock upstream itself, probed with plain QTcpSocket clients: what the gateway's tests
// rely on (keep-alive, one HTTP chunk per SSE event, faults) has to hold first.
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>

#include "mockupstream.h"
#include "testcerts.h"

using namespace sy::testsupport;
using Fault = MockUpstream::Fault;
using Script = MockUpstream::Script;

namespace {

// One response as read off the wire; `chunks` keeps the HTTP chunk boundaries.
struct RawResponse
{
    int status = 0;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QList<QByteArray> chunks;
    bool complete = false;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

// Parses as much of one response as `buffer` holds; removes it from the buffer once complete.
RawResponse parseResponse(QByteArray &buffer)
{
    RawResponse response;
    qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    while (headEnd >= 0 && buffer.startsWith("HTTP/1.1 100")) { // interim 100 Continue
        buffer.remove(0, headEnd + 4);
        headEnd = buffer.indexOf("\r\n\r\n");
    }
    if (headEnd < 0)
        return response;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    response.status = lines.first().split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        response.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    qsizetype at = headEnd + 4;
    if (response.header("transfer-encoding") == "chunked") {
        for (;;) {
            const qsizetype lineEnd = buffer.indexOf("\r\n", at);
            if (lineEnd < 0)
                return response;
            bool ok = false;
            const qsizetype size = buffer.mid(at, lineEnd - at).toLongLong(&ok, 16);
            if (!ok || buffer.size() < lineEnd + 2 + size + 2)
                return response;
            if (size == 0) {
                at = lineEnd + 4;
                break;
            }
            const QByteArray chunk = buffer.mid(lineEnd + 2, size);
            response.chunks.append(chunk);
            response.body += chunk;
            at = lineEnd + 2 + size + 2;
        }
    } else {
        const qsizetype length = response.header("content-length").toLongLong();
        if (buffer.size() < at + length) {
            response.body = buffer.mid(at);
            return response;
        }
        response.body = buffer.mid(at, length);
        at += length;
    }
    response.complete = true;
    buffer.remove(0, at);
    return response;
}

QByteArray post(QByteArrayView path, const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return "POST " + path.toByteArray() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + extraHeaders + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QByteArray chatBody(const QByteArray &text, bool stream, bool includeUsage = false)
{
    QJsonObject body {{u"model"_qs, u"gpt-4o-mini"_qs},
                      {u"messages"_qs,
                       QJsonArray {QJsonObject {{u"role"_qs, u"system"_qs}, {u"content"_qs, u"be brief"_qs}},
                                   QJsonObject {{u"role"_qs, u"user"_qs}, {u"content"_qs, QString::fromUtf8(text)}}}}};
    if (stream)
        body.insert(u"stream"_qs, true);
    if (includeUsage)
        body.insert(u"stream_options"_qs, QJsonObject {{u"include_usage"_qs, true}});
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

// Reads until one response is complete (or the peer leaves, or time runs out).
RawResponse readResponse(QTcpSocket &socket, QByteArray &buffer, int timeoutMs = 5000)
{
    RawResponse response;
    (void)QTest::qWaitFor(
        [&] {
            buffer += socket.readAll();
            QByteArray copy = buffer;
            response = parseResponse(copy);
            if (response.complete)
                buffer = copy;
            return response.complete || socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    return response;
}

QJsonObject sseJson(const QByteArray &event)
{
    const qsizetype data = event.indexOf("data: ");
    return QJsonDocument::fromJson(event.mid(data + 6).trimmed()).object();
}

} // namespace

class TestMockUpstream : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_upstream = std::make_unique<MockUpstream>();
        QVERIFY2(m_upstream->listen(), qPrintable(m_upstream->errorString()));
        QVERIFY(m_upstream->port() != 0);
    }

    void cleanup() { m_upstream.reset(); }

    void chatCompletionEchoesAndReportsUsage()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_upstream->port());
        socket.write(
            post("/v1/chat/completions", chatBody("needle-42 \"quoted\"", false), "Authorization: Bearer sk-test\r\n"));
        QByteArray buffer;
        const RawResponse response = readResponse(socket, buffer);
        QVERIFY(response.complete);
        QCOMPARE(response.status, 200);
        QCOMPARE(response.header("content-type"), QByteArray("application/json"));
        QVERIFY(response.header("x-request-id").startsWith("req_"));
        const QJsonObject body = QJsonDocument::fromJson(response.body).object();
        QCOMPARE(body.value(u"object").toString(), u"chat.completion"_qs);
        QCOMPARE(body.value(u"choices").toArray().first()[u"message"][u"content"].toString(),
                 u"echo: needle-42 \"quoted\""_qs);
        const QJsonObject usage = body.value(u"usage").toObject();
        QCOMPARE(usage.value(u"prompt_tokens").toInt(), m_upstream->usage().inputTokens);
        QCOMPARE(usage[u"prompt_tokens_details"][u"cached_tokens"].toInt(), m_upstream->usage().cachedInputTokens);
        QCOMPARE(usage[u"completion_tokens_details"][u"reasoning_tokens"].toInt(), m_upstream->usage().reasoningTokens);

        QCOMPARE(m_upstream->requestCount(), 1);
        const MockUpstream::ReceivedRequest request = m_upstream->lastRequest();
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.target, QByteArray("/v1/chat/completions"));
        QCOMPARE(request.header("authorization"), QByteArray("Bearer sk-test"));
        QCOMPARE(request.header("AUTHORIZATION"), QByteArray("Bearer sk-test"));
        QCOMPARE(request.headers.at(2).first, QByteArray("Authorization")); // spelling kept
    }

    void keepAliveAndPipelining()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_upstream->port());
        QByteArray buffer;
        socket.write(post("/v1/chat/completions", chatBody("one", false)));
        QCOMPARE(readResponse(socket, buffer).header("connection"), QByteArray("keep-alive"));
        socket.write(post("/v1/chat/completions", chatBody("two", false)));
        QVERIFY(readResponse(socket, buffer).body.contains("echo: two"));
        // Two at once: answered in order on the same connection.
        socket.write(post("/v1/messages",
                          "{\"model\":\"claude\",\"max_tokens\":9,\"messages\":"
                          "[{\"role\":\"user\",\"content\":\"three\"}]}")
                     + post("/v1/chat/completions", chatBody("four", false)));
        QVERIFY(readResponse(socket, buffer).body.contains("echo: three"));
        QVERIFY(readResponse(socket, buffer).body.contains("echo: four"));
        QCOMPARE(m_upstream->connectionCount(), 1);
        QCOMPARE(m_upstream->requestCount(), 4);
        QCOMPARE(m_upstream->requests().last().connectionId, 1);
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    }

    void connectionCloseIsHonoured()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_upstream->port());
        QSignalSpy closed(m_upstream.get(), &MockUpstream::connectionClosed);
        socket.write(post("/v1/chat/completions", chatBody("bye", false), "Connection: close\r\n"));
        QByteArray buffer;
        const RawResponse response = readResponse(socket, buffer);
        QCOMPARE(response.header("connection"), QByteArray("close"));
        QVERIFY(closed.wait(3000) || closed.count() == 1);
    }

    void chatStreamIsOneChunkPerEvent()
    {
        m_upstream->setStreamDelay(15);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_upstream->port());
        socket.write(post("/v1/chat/completions", chatBody("alpha beta gamma", true, true)));
        QByteArray buffer;
        QElapsedTimer timer;
        timer.start();
        const RawResponse response = readResponse(socket, buffer);
        QVERIFY(response.complete);
        QCOMPARE(response.header("content-type"), QByteArray("text/event-stream; charset=utf-8"));
        QVERIFY(response.header("x-request-id").startsWith("req_"));
        // role, "echo: ", "alpha ", "beta ", "gamma", finish, usage, [DONE]
        QCOMPARE(response.chunks.size(), 8);
        QVERIFY(timer.elapsed() >= 7 * 15 - 5);
        QString text;
        for (qsizetype i = 0; i < response.chunks.size(); ++i) {
            const QByteArray &chunk = response.chunks.at(i);
            QVERIFY2(chunk.startsWith("data: ") && chunk.endsWith("\n\n") && chunk.count("data: ") == 1,
                     chunk.constData());
            if (i == response.chunks.size() - 1) {
                QCOMPARE(chunk, QByteArray("data: [DONE]\n\n"));
                continue;
            }
            const QJsonObject event = sseJson(chunk);
            QCOMPARE(event.value(u"object").toString(), u"chat.completion.chunk"_qs);
            QVERIFY(event.contains(u"usage"));
            if (i < response.chunks.size() - 2) {
                QVERIFY(event.value(u"usage").isNull());
                text += event[u"choices"][0][u"delta"][u"content"].toString();
            } else {
                QVERIFY(event.value(u"choices").toArray().isEmpty());
                QCOMPARE(event[u"usage"][u"completion_tokens"].toInt(), m_upstream->usage().outputTokens);
            }
        }
        QCOMPARE(text, u"echo: alpha beta gamma"_qs);
    }

    void chatStreamWithoutIncludeUsageHasNoUsage()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_upstream->port());
        socket.write(post("/v1/chat/completions", chatBody("x", true)));
        QByteArray buffer;
        const RawResponse response = readResponse(socket, buffer);
        QVERIFY(response.complete);
        QVERIFY(!response.body.contains("\"usage\""));
        QVERIFY(response.body.endsWith("data: [DONE]\n\n"));
    }

    void anthropicStreamEvents()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_upstream->port());
        socket.write(post("/v1/messages",
                          "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":"
                          "\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hello there\"}]}]}",
                          "x-api-key: sk-ant-test\r\nanthropic-version: 2023-06-01\r\n"));
        QByteArray buffer;
        const RawResponse response = readResponse(socket, buffer);
        QVERIFY(response.complete);
        QVERIFY(!response.header("request-id").isEmpty());
        QVERIFY(!response.header("anthropic-ratelimit-requests-limit").isEmpty());
        QStringList names;
        QString text;
        for (const QByteArray &chunk : response.chunks) {
            QVERIFY(chunk.startsWith("event: ") && chunk.endsWith("\n\n"));
            names.append(QString::fromUtf8(chunk.mid(7, chunk.indexOf('\n') - 7)));
            const QJsonObject event = sseJson(chunk);
            QCOMPARE(event.value(u"type").toString(), names.last());
            if (names.last() == u"content_block_delta")
                text += event[u"delta"][u"text"].toString();
            if (names.last() == u"message_start") {
                QCOMPARE(event[u"message"][u"usage"][u"cache_read_input_tokens"].toInt(),
                         m_upstream->usage().cachedInputTokens);
                QCOMPARE(event[u"message"][u"usage"][u"cache_creation_input_tokens"].toInt(),
                         m_upstream->usage().cacheWriteTokens);
            }
        }
        QCOMPARE(text, u"echo: hello there"_qs);
        QCOMPARE(names.first(), u"message_start"_qs);
        QCOMPARE(names.mid(1, 2), (QStringList {u"content_block_start"_qs, u"ping"_qs}));
        QCOMPARE(names.mid(names.size() - 4),
                 (QStringList {u"content_block_delta"_qs, u"content_block_stop"_qs, u"message_delta"_qs,
                               u"message_stop"_qs}));
    }

    void scriptsAnswerInOrder()
    {
        m_upstream->enqueue(Script::openAiError(429, "requests", "rate_limit_exceeded", "slow down"));
        Script twice = Script::json(201, "{\"ok\":true}", {{"x-custom", "1"}});
        twice.times = 2;
        m_upstream->enqueue(twice);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_upstream->port());
        QByteArray buffer;
        socket.write(post("/v1/chat/completions", chatBody("a", false)));
        RawResponse response = readResponse(socket, buffer);
        QCOMPARE(response.status, 429);
        QCOMPARE(response.header("retry-after"), QByteArray("1"));
        QCOMPARE(QJsonDocument::fromJson(response.body)[u"error"][u"code"].toString(), u"rate_limit_exceeded"_qs);
        for (int i = 0; i < 2; ++i) {
            socket.write(post("/v1/chat/completions", chatBody("b", false)));
            response = readResponse(socket, buffer);
            QCOMPARE(response.status, 201);
            QCOMPARE(response.header("x-custom"), QByteArray("1"));
        }
        QCOMPARE(m_upstream->pendingScripts(), 0);
        socket.write(post("/v1/chat/completions", chatBody("c", false)));
        QVERIFY(readResponse(socket, buffer).body.contains("echo: c"));
    }

    void faults_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<int>("faultAfter");
        QTest::addColumn<bool>("expectHead");
        QTest::addColumn<int>("expectChunks");

        QTest::newRow("close before response") << int(Fault::CloseBeforeResponse) << 0 << false << 0;
        QTest::newRow("reset before response") << int(Fault::ResetBeforeResponse) << 0 << false << 0;
        QTest::newRow("reset after headers") << int(Fault::ResetAfterHeaders) << 0 << true << 0;
        QTest::newRow("close after 2 chunks") << int(Fault::CloseAfterChunks) << 2 << true << 2;
        QTest::newRow("reset after 3 chunks") << int(Fault::ResetAfterChunks) << 3 << true << 3;
    }

    void faults()
    {
        QFETCH(int, fault);
        QFETCH(int, faultAfter);
        QFETCH(bool, expectHead);
        QFETCH(int, expectChunks);

        m_upstream->enqueue(Script::failure(Fault(fault), faultAfter));
        QSignalSpy closed(m_upstream.get(), &MockUpstream::connectionClosed);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_upstream->port());
        socket.write(post("/v1/chat/completions", chatBody("one two three four", true)));
        QByteArray received;
        QTRY_COMPARE_WITH_TIMEOUT(
            [&] {
                received += socket.readAll();
                return socket.state();
            }(),
            QAbstractSocket::UnconnectedState, 5000);
        received += socket.readAll();
        QCOMPARE(received.startsWith("HTTP/1.1 200"), expectHead);
        if (!expectHead)
            QVERIFY(received.isEmpty());
        QByteArray copy = received;
        const RawResponse response = parseResponse(copy);
        QVERIFY(!response.complete); // never the terminating chunk
        if (expectHead) {
            // Count whole chunks: the parser stops at the missing terminator.
            qsizetype at = received.indexOf("\r\n\r\n") + 4;
            int chunks = 0;
            while (at < received.size()) {
                const qsizetype lineEnd = received.indexOf("\r\n", at);
                at = lineEnd + 2 + received.mid(at, lineEnd - at).toLongLong(nullptr, 16) + 2;
                ++chunks;
            }
            QCOMPARE(chunks, expectChunks);
            QVERIFY(!received.contains("0\r\n\r\n"));
        }
        QTRY_COMPARE(closed.count(), 1);
    }

    void stallHoldsTheConnectionUntilThePeerLeaves()
    {
        m_upstream->enqueue(Script::failure(Fault::Stall));
        QSignalSpy closed(m_upstream.get(), &MockUpstream::connectionClosed);
        QSignalSpy received(m_upstream.get(), &MockUpstream::requestReceived);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_upstream->port());
        socket.write(post("/v1/chat/completions", chatBody("hang", false)));
        QVERIFY(received.wait(3000));
        QTest::qWait(200);
        QCOMPARE(socket.bytesAvailable(), 0);
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
        QCOMPARE(m_upstream->openConnectionCount(), 1);
        socket.abort(); // what a gateway does when its own timeout fires
        QVERIFY(closed.wait(3000));
        QCOMPARE(m_upstream->openConnectionCount(), 0);
    }

    void slowHeadersAndSlowBody()
    {
        Script slow = Script::defaultResponse();
        slow.headerDelayMs = 120;
        slow.bodyPieceSize = 100;
        slow.bodyPieceDelayMs = 20;
        m_upstream->enqueue(slow);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_upstream->port());
        QElapsedTimer timer;
        timer.start();
        socket.write(post("/v1/chat/completions", chatBody("slowly", false)));
        QByteArray buffer;
        QVERIFY(QTest::qWaitFor([&] { return socket.bytesAvailable() > 0; }, 5000));
        QVERIFY(timer.elapsed() >= 100);
        const RawResponse response = readResponse(socket, buffer);
        QVERIFY(response.complete);
        QVERIFY(response.body.contains("echo: slowly"));
        QVERIFY(timer.elapsed() >= 120 + (response.body.size() / 100) * 20 - 10);
    }

    void midStreamDeathAfterDelayedChunks()
    {
        Script script = Script::failure(Fault::CloseAfterChunks, 3);
        script.chunkDelayMs = 30;
        m_upstream->enqueue(script);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_upstream->port());
        socket.write(post("/v1/messages",
                          "{\"model\":\"c\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":"
                          "\"user\",\"content\":\"x\"}]}"));
        QByteArray received;
        QElapsedTimer timer;
        timer.start();
        QTRY_COMPARE_WITH_TIMEOUT(
            [&] {
                received += socket.readAll();
                return socket.state();
            }(),
            QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(timer.elapsed() >= 60);
        QVERIFY(received.contains("message_start"));
        QVERIFY(received.contains("event: ping"));
        QVERIFY(!received.contains("content_block_delta"));
    }

    void requestBodiesAndExpectContinue()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_upstream->port());
        // A chunked request body, as some clients send, arrives de-chunked.
        const QByteArray body = chatBody("chunked in", false);
        socket.write("POST /v1/chat/completions?x=1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                     + QByteArray::number(10, 16) + "\r\n" + body.left(10) + "\r\n"
                     + QByteArray::number(body.size() - 10, 16) + "\r\n" + body.mid(10) + "\r\n0\r\n\r\n");
        QByteArray buffer;
        QVERIFY(readResponse(socket, buffer).body.contains("echo: chunked in"));
        QCOMPARE(m_upstream->lastRequest().body, body);
        QCOMPARE(m_upstream->lastRequest().target, QByteArray("/v1/chat/completions?x=1"));
        QCOMPARE(m_upstream->lastRequest().path(), QByteArray("/v1/chat/completions"));

        // curl's Expect: 100-continue gets its go-ahead instead of a one-second wait.
        const QByteArray big = chatBody(QByteArray(2000, 'z'), false);
        socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: "
                     + QByteArray::number(big.size()) + "\r\n\r\n");
        QVERIFY(QTest::qWaitFor([&] { return socket.peek(64).startsWith("HTTP/1.1 100 Continue"); }, 3000));
        socket.write(big);
        const RawResponse response = readResponse(socket, buffer);
        QCOMPARE(response.status, 200);
        QVERIFY(response.body.contains("zzzz"));
    }

    void otherEndpoints_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("headers");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("expect");

        QTest::newRow("completions") << QByteArray("POST") << QByteArray("/v1/completions")
                                     << QByteArray("{\"model\":\"m\",\"prompt\":\"p1\"}") << QByteArray() << 200
                                     << QByteArray("\"text\":\"echo: p1\"");
        QTest::newRow("embeddings floats") << QByteArray("POST") << QByteArray("/v1/embeddings")
                                           << QByteArray("{\"model\":\"m\",\"input\":[\"a\",\"b\"],\"dimensions\":4}")
                                           << QByteArray() << 200 << QByteArray("\"index\":1,\"embedding\":[");
        QTest::newRow("embeddings base64")
            << QByteArray("POST") << QByteArray("/v1/embeddings")
            << QByteArray("{\"model\":\"m\",\"input\":\"a\",\"encoding_format\":\"base64\"}") << QByteArray() << 200
            << QByteArray("\"embedding\":\"");
        QTest::newRow("responses") << QByteArray("POST") << QByteArray("/v1/responses")
                                   << QByteArray("{\"model\":\"m\",\"input\":\"hi\"}") << QByteArray() << 200
                                   << QByteArray("\"text\":\"echo: hi\"");
        QTest::newRow("openai models") << QByteArray("GET") << QByteArray("/v1/models") << QByteArray() << QByteArray()
                                       << 200 << QByteArray("\"object\":\"list\"");
        QTest::newRow("anthropic models")
            << QByteArray("GET") << QByteArray("/v1/models") << QByteArray()
            << QByteArray("anthropic-version: 2023-06-01\r\n") << 200 << QByteArray("\"has_more\":false");
        QTest::newRow("count tokens") << QByteArray("POST") << QByteArray("/v1/messages/count_tokens")
                                      << QByteArray("{\"model\":\"m\",\"messages\":[]}") << QByteArray() << 200
                                      << QByteArray("{\"input_tokens\":11}");
        QTest::newRow("bad json") << QByteArray("POST") << QByteArray("/v1/messages") << QByteArray("{nope")
                                  << QByteArray() << 400 << QByteArray("\"type\":\"invalid_request_error\"");
        QTest::newRow("unknown path") << QByteArray("GET") << QByteArray("/v2/nothing") << QByteArray() << QByteArray()
                                      << 404 << QByteArray("Invalid URL");
    }

    void otherEndpoints()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, headers);
        QFETCH(int, status);
        QFETCH(QByteArray, expect);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_upstream->port());
        socket.write(method + ' ' + path + " HTTP/1.1\r\nHost: h\r\n" + headers
                     + (body.isEmpty() ? QByteArray() : "Content-Length: " + QByteArray::number(body.size()) + "\r\n")
                     + "\r\n" + body);
        QByteArray buffer;
        const RawResponse response = readResponse(socket, buffer);
        QCOMPARE(response.status, status);
        QVERIFY2(response.body.contains(expect), response.body.constData());
        QVERIFY(!QJsonDocument::fromJson(response.body).isNull());
    }

    void tls()
    {
        const TestCerts certs;
        QVERIFY2(certs.isValid(), qPrintable(certs.errorString()));
        MockUpstream upstream;
        QVERIFY(upstream.listenTls(certs.serverCertificate(), certs.serverKey()));
        QCOMPARE(upstream.baseUrl().scheme(), u"https"_qs);
        QSslSocket socket;
        socket.setSslConfiguration(certs.clientConfiguration());
        socket.connectToHostEncrypted(u"127.0.0.1"_qs, upstream.port());
        QTRY_VERIFY_WITH_TIMEOUT(socket.isEncrypted(), 5000);
        QVERIFY(socket.sslHandshakeErrors().isEmpty());
        socket.write(post("/v1/chat/completions", chatBody("secret", true)));
        QByteArray buffer;
        const RawResponse response = readResponse(socket, buffer);
        QVERIFY(response.complete);
        QVERIFY(response.chunks.size() > 3);
        QCOMPARE(upstream.requestCount(), 1);

        // A client that does not trust the test CA fails the handshake.
        QSslSocket untrusting;
        untrusting.connectToHostEncrypted(u"127.0.0.1"_qs, upstream.port());
        QSignalSpy errors(&untrusting, &QSslSocket::sslErrors);
        QVERIFY(errors.wait(5000));
    }

private:
    std::unique_ptr<MockUpstream> m_upstream;
};

QTEST_GUILESS_MAIN(TestMockUpstream)
#include "tst_mockupstream.moc"
