// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// bench_translate [N]: what translation costs, in one process on 127.0.0.1. The gateway
// (one worker thread), the mock upstream and a keep-alive client; each case sends N
// requests one after another and reports
//  - the gateway worker thread's CPU per request (the client and the mock run on the main
//    thread and are not counted), for an Anthropic caller answered by an Anthropic
//    provider (untranslated, bytes pass) and by an OpenAI provider (translated);
//  - for streams of 200 events, the same, and the median time from the request's send to
//    the first body byte reaching the client.
// Prints a markdown table.
#include <algorithm>
#include <ctime>

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QTextStream>

#include "common/memoryusagesink.h"
#include "config/configloader.h"
#include "gateway/gatewayserver.h"
#include "gateway/gatewaystate.h"
#include "mockupstream.h"
#include "openaistreambuilder.h"
#include "testhttpclient.h"

using namespace sy;
using sy::testsupport::MockUpstream;
using sy::testsupport::OpenAiStreamBuilder;
using sy::testsupport::TestHttpClient;

namespace {

const QList<std::pair<QByteArray, QByteArray>> kHeaders {
    {"x-api-key", "unused"}, {"anthropic-version", "2023-06-01"}, {"Content-Type", "application/json"}};

QByteArray body(const QByteArray &model, bool stream)
{
    return R"({"model":")" + model + R"(","max_tokens":1024,)" + (stream ? R"("stream":true,)" : "")
        + R"("system":[{"type":"text","text":"You are a coding agent."}],
        "tools":[{"name":"bash","description":"Run a command","input_schema":{"type":"object","properties":{"command":{"type":"string"}}}}],
        "messages":[{"role":"user","content":"list the files"},
          {"role":"assistant","content":[{"type":"text","text":"Looking."},{"type":"tool_use","id":"t1","name":"bash","input":{"command":"ls"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"a.txt\nb.txt"}]}]})";
}

// 200 events of each dialect, about the same text.
MockUpstream::Script openAiStream()
{
    QStringList pieces;
    for (int i = 0; i < 196; ++i)
        pieces.append(QStringLiteral("word%1 ").arg(i));
    MockUpstream::Script script = OpenAiStreamBuilder().text(pieces).finish("stop").usage(300, 196, 0).script(false);
    script.times = -1;
    return script;
}

MockUpstream::Script anthropicStream()
{
    QList<QByteArray> events;
    auto add = [&events](const QByteArray &type, const QByteArray &data) {
        events.append("event: " + type + "\ndata: " + data + "\n\n");
    };
    add("message_start",
        R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":300,"output_tokens":1}}})");
    add("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})");
    for (int i = 0; i < 195; ++i)
        add("content_block_delta",
            R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"word)"
                + QByteArray::number(i) + R"( "}})");
    add("content_block_stop", R"({"type":"content_block_stop","index":0})");
    add("message_delta",
        R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":196}})");
    add("message_stop", R"({"type":"message_stop"})");
    MockUpstream::Script script;
    script.headers = {{"Content-Type", "text/event-stream"}};
    for (const QByteArray &event : events)
        script.chunks.append({event, 0});
    script.times = -1;
    return script;
}

qint64 threadCpuNs(clockid_t clock)
{
    timespec ts {};
    clock_gettime(clock, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Turns the event loop until `done` (no polling sleeps, unlike QTest::qWaitFor: the times
// measured here are far below its 10 ms steps).
template<typename Predicate>
void waitUntil(Predicate done)
{
    while (!done())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
}

struct Measure
{
    double cpuUsPerRequest = 0;
    double firstByteUsMedian = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? QByteArray(argv[1]).toInt() : 500;

    MockUpstream upstream;
    upstream.setRecordRequests(false);
    upstream.listen();
    const QByteArray config = QStringLiteral(R"({
        "listen": "127.0.0.1:0", "auth": {"require_client_key": false},
        "providers": [{"id": "openai", "kind": "openai", "base_url": "%1/v1"},
                      {"id": "anthropic", "kind": "anthropic", "base_url": "%1"}],
        "server": {"worker_threads": 1}})")
                                  .arg(upstream.baseUrl().toString())
                                  .toUtf8();
    MemoryUsageSink usage;
    auto state = gateway::GatewayState::create(config::ConfigLoader::fromJson(config).value());
    gateway::GatewayServer server(state.value(), usage);
    server.listen();

    // The gateway's threads: the process's CPU less this (client and mock) thread's.
    auto otherThreadsNs = [] {
        timespec ts {};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        const qint64 process = qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
        return process - threadCpuNs(CLOCK_THREAD_CPUTIME_ID);
    };

    auto run = [&](const QByteArray &model, bool stream, const std::optional<MockUpstream::Script> &script) {
        upstream.clearScripts();
        if (script)
            upstream.enqueue(*script);
        TestHttpClient client;
        client.connectTo(server.port());
        const QByteArray request = body(model, stream);
        for (int i = 0; i < 20; ++i) { // warm-up: pooled connections, caches
            client.send("POST", "/v1/messages", kHeaders, request);
            waitUntil([&] { return client.responses().size() == i + 1; });
        }
        QList<qint64> firstBytes;
        const qint64 before = otherThreadsNs();
        for (int i = 0; i < n; ++i) {
            QElapsedTimer timer;
            timer.start();
            client.send("POST", "/v1/messages", kHeaders, request);
            if (stream) {
                waitUntil([&] { return !client.current().body.isEmpty() || client.responses().size() > 20 + i; });
                firstBytes.append(timer.nsecsElapsed());
            }
            waitUntil([&] { return client.responses().size() == 20 + i + 1; });
            if (client.responses().last().status != 200)
                qFatal("status %d", client.responses().last().status);
        }
        Measure m;
        m.cpuUsPerRequest = double(otherThreadsNs() - before) / n / 1000.0;
        if (!firstBytes.isEmpty()) {
            std::sort(firstBytes.begin(), firstBytes.end());
            m.firstByteUsMedian = double(firstBytes.at(firstBytes.size() / 2)) / 1000.0;
        }
        return m;
    };

    QTextStream out(stdout);
    const Measure direct = run("anthropic/claude-x", false, std::nullopt);
    const Measure translated = run("openai/gpt-4o-mini", false, std::nullopt);
    const Measure directStream = run("anthropic/claude-x", true, anthropicStream());
    const Measure translatedStream = run("openai/gpt-4o-mini", true, openAiStream());
    out << "| case (" << n << " requests each) | gateway CPU per request | time to first event (median) |\n";
    out << "|---|---|---|\n";
    out << "| Anthropic caller -> Anthropic provider, non-stream (untranslated) | " << direct.cpuUsPerRequest
        << " µs | |\n";
    out << "| Anthropic caller -> OpenAI provider, non-stream (translated) | " << translated.cpuUsPerRequest
        << " µs | |\n";
    out << "| 200-event stream, untranslated | " << directStream.cpuUsPerRequest << " µs | "
        << directStream.firstByteUsMedian << " µs |\n";
    out << "| 200-event stream, translated | " << translatedStream.cpuUsPerRequest << " µs | "
        << translatedStream.firstByteUsMedian << " µs |\n";
    return 0;
}
