// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QTest>

#include "pricing/pricebook.h"
#include "providers/responsetap.h"

using namespace sy::providers;
using sy::TokenUsage;
using namespace Qt::StringLiterals;

class TestResponseTap : public QObject
{
    Q_OBJECT

private slots:
    void usage_data();
    void usage();
    void streamedAndWholeArePricedAlike_data();
    void streamedAndWholeArePricedAlike();
    void hideInjectedUsage_data();
    void hideInjectedUsage();
    void transforms_data();
    void transforms();
    void passThroughLeavesOutUntouched();
    void largeBodyKeepsOnlyTail_data();
    void largeBodyKeepsOnlyTail();
    void oversizedEvent();
    void finishTwice();
};

#ifndef Q_MOC_RUN

Q_DECLARE_METATYPE(TokenUsage)

namespace {

QByteArray sse(const QByteArrayList &dataLines)
{
    QByteArray out;
    for (const QByteArray &line : dataLines)
        out += "data: " + line + "\n\n";
    return out;
}

QByteArray named(const QList<std::pair<QByteArray, QByteArray>> &events)
{
    QByteArray out;
    for (const auto &[name, data] : events)
        out += "event: " + name + "\ndata: " + data + "\n\n";
    return out;
}

TokenUsage tokens(qint64 input, qint64 output, qint64 cached = 0, qint64 write = 0, qint64 reasoning = 0,
                  qint64 write1h = 0)
{
    TokenUsage u;
    u.cacheWrite1h = write1h;
    u.input = input;
    u.output = output;
    u.cachedInput = cached;
    u.cacheWrite = write;
    u.reasoning = reasoning;
    return u;
}

QList<qint64> fields(const TokenUsage &u)
{
    return {u.input, u.output, u.cachedInput, u.cacheWrite, u.reasoning, u.cacheWrite1h};
}

struct Run
{
    QByteArray out;
    TokenUsage usage;
};

Run run(Endpoint endpoint, bool stream, bool hide, const QByteArray &body, const QList<qsizetype> &cuts)
{
    ResponseTap tap(endpoint, stream, hide);
    Run result;
    qsizetype from = 0;
    for (qsizetype cut : cuts) {
        tap.feed(QByteArrayView(body).sliced(from, cut - from), result.out);
        from = cut;
    }
    tap.feed(QByteArrayView(body).sliced(from), result.out);
    tap.finish(result.out);
    result.usage = tap.usage();
    return result;
}

// ---- OpenAI chat/completions: a streamed tool call, as api.openai.com sends it ----
const QByteArray kId
    = R"("id":"chatcmpl-BqVx3bU1ZrX7","object":"chat.completion.chunk","created":1752000000,)"
      R"("model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_34a54ae93c",)"_ba;
const QByteArrayList kToolChoices = {
    R"("choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_7Qb2",)"
    R"("type":"function","function":{"name":"get_weather","arguments":""}}],"refusal":null},"logprobs":null,)"
    R"("finish_reason":null}])"_ba,
    R"("choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"location\":\""}}]},)"
    R"("logprobs":null,"finish_reason":null}])"_ba,
    // Arguments that spell a usage member: escaped inside a string, never touched.
    R"("choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"Paris\",\"usage\":null,)"
    R"( \"note\":\"\u00e9\"}"}}]},"logprobs":null,"finish_reason":null}])"_ba,
    R"("choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}])"_ba,
};
const QByteArray kChatUsage
    = R"({"prompt_tokens":1117,"completion_tokens":46,"total_tokens":1163,"prompt_tokens_details":)"
      R"({"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,)"
      R"("audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}})"_ba;

// What the client gets without include_usage.
QByteArray chatStreamPlain()
{
    QByteArrayList lines;
    for (const QByteArray &choices : kToolChoices)
        lines << "{" + kId + choices + "}";
    lines << "[DONE]";
    return sse(lines);
}

// The same answer with include_usage on: "usage":null in every chunk, and a last chunk
// with empty choices and the usage.
QByteArray chatStreamWithUsage()
{
    QByteArrayList lines;
    for (const QByteArray &choices : kToolChoices)
        lines << "{" + kId + choices + R"(,"usage":null})";
    lines << "{" + kId + R"("choices":[],"usage":)" + kChatUsage + "}";
    lines << "[DONE]";
    return sse(lines);
}

// ---- OpenAI Responses API stream ----
QByteArray responsesStream(const QByteArray &finalType)
{
    const QByteArray response = R"({"id":"resp_68a1","object":"response","created_at":1752000000,"status":")"_ba;
    return named({
        {"response.created",
         R"({"type":"response.created","sequence_number":0,"response":)" + response
             + R"(in_progress","model":"o4-mini-2025-04-16","output":[],"usage":null}})"},
        {"response.output_text.delta",
         R"({"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":1,)"
         R"("content_index":0,"delta":"He said \"usage\": {\"input_tokens\": 999}"})"},
        {finalType,
         R"({"type":")" + finalType + R"(","sequence_number":9,"response":)" + response
             + R"(completed","model":"o4-mini-2025-04-16","output":[{"id":"rs_1","type":"reasoning","summary":[]},)"
               R"({"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":)"
               R"("output_text","annotations":[],"text":"Hi"}]}],"usage":{"input_tokens":37,)"
               R"("input_tokens_details":{"cached_tokens":12},"output_tokens":150,"output_tokens_details":)"
               R"({"reasoning_tokens":128},"total_tokens":187},"user":null,"metadata":{}}})"},
    });
}

// ---- Anthropic messages stream with prompt caching and extended thinking ----
QByteArray anthropicStream(const QByteArray &deltaUsage)
{
    return named({
        {"message_start",
         R"({"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message",)"
         R"("role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,)"
         R"("stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":1500,)"
         R"("cache_read_input_tokens":8000,"cache_creation":{"ephemeral_5m_input_tokens":1500,)"
         R"("ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}})"},
        {"content_block_start",
         R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}})"},
        {"ping", R"({"type": "ping"})"},
        {"content_block_delta",
         R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":)"
         R"("The \"usage\":{\"output_tokens\":5} text is not usage."}})"},
        {"content_block_delta",
         R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":)"
         R"("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}})"},
        {"content_block_stop", R"({"type":"content_block_stop","index":0})"},
        {"content_block_start",
         R"({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}})"},
        {"content_block_delta",
         R"({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hello!"}})"},
        {"content_block_stop", R"({"type":"content_block_stop","index":1})"},
        {"message_delta",
         R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":)" + deltaUsage
             + "}"},
        {"message_stop", R"({"type":"message_stop"})"},
    });
}

QByteArray crlf(QByteArray stream)
{
    return stream.replace("\n", "\r\n");
}

// ---- Non-streamed bodies ----
const QByteArray kChatCompletion = R"({
  "id": "chatcmpl-BqVx9",
  "object": "chat.completion",
  "created": 1752000000,
  "model": "o4-mini-2025-04-16",
  "choices": [
    {
      "index": 0,
      "message": {
        "role": "assistant",
        "content": null,
        "tool_calls": [
          {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"usage\":{\"prompt_tokens\":1}}"}}
        ],
        "refusal": null,
        "annotations": []
      },
      "finish_reason": "tool_calls"
    }
  ],
  "usage": {
    "prompt_tokens": 2006,
    "completion_tokens": 300,
    "total_tokens": 2306,
    "prompt_tokens_details": {"cached_tokens": 1920, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 256, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
  },
  "service_tier": "default",
  "system_fingerprint": null
}
)"_ba;

const QByteArray kResponse
    = R"({"id":"resp_1","object":"response","created_at":1752000000,"status":"completed","error":null,)"
      R"("model":"gpt-4.1-2025-04-14","output":[{"type":"message","id":"msg_1","status":"completed",)"
      R"("role":"assistant","content":[{"type":"output_text","text":"Hi","annotations":[]}]}],)"
      R"("usage":{"input_tokens":328,"input_tokens_details":{"cached_tokens":256},"output_tokens":52,)"
      R"("output_tokens_details":{"reasoning_tokens":0},"total_tokens":380},"user":null,"metadata":{}})"_ba;

const QByteArray kMessage
    = R"({"id":"msg_01","type":"message","role":"assistant","model":"claude-opus-4-1-20250805","content":)"
      R"([{"type":"thinking","thinking":"hmm","signature":"Eq=="},{"type":"text","text":"Hi"}],)"
      R"("stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":21,)"
      R"("cache_creation_input_tokens":188086,"cache_read_input_tokens":0,"output_tokens":393,)"
      R"("service_tier":"standard"}})"_ba;

const QByteArray kEmbeddings
    = R"({"object":"list","data":[{"object":"embedding","index":0,"embedding":[-0.006929283,-0.005336422,)"
      R"(0.00024273376]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":8,"total_tokens":8}})"_ba;

// ---- DeepSeek (OpenAI format): cache hits as prompt_cache_hit_tokens, part of prompt_tokens ----
const QByteArray kDeepSeekUsage = "{\"prompt_tokens\":1500,\"completion_tokens\":120,\"total_tokens\":1620,"
                                  "\"prompt_cache_hit_tokens\":1280,\"prompt_cache_miss_tokens\":220,"
                                  "\"completion_tokens_details\":{\"reasoning_tokens\":64}}"_ba;

QByteArray deepSeekJson()
{
    return "{\"id\":\"ds-1\",\"object\":\"chat.completion\",\"model\":\"deepseek-v4-flash\",\"choices\":"
           "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":\"stop\"}],"
           "\"usage\":"_ba
        + kDeepSeekUsage + "}";
}

QByteArray deepSeekStream()
{
    return sse({"{\"id\":\"ds-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}"_ba,
                "{\"id\":\"ds-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                "\"usage\":"_ba
                    + kDeepSeekUsage + "}",
                "[DONE]"});
}

// ---- GPT-5.6 and later: cache writes, a part of the prompt like the reads ----
// As api.openai.com reported a first call that wrote the prefix (chat) and a call that
// read part of it and wrote more (Responses).
const QByteArray kChatWriteUsage
    = R"({"prompt_tokens":9657,"completion_tokens":78,"total_tokens":9735,"prompt_tokens_details":)"
      R"({"cached_tokens":0,"cache_write_tokens":9654,"audio_tokens":0},"completion_tokens_details":)"
      R"({"reasoning_tokens":37,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}})"_ba;

QByteArray chatWriteJson()
{
    return R"({"id":"chatcmpl-6","object":"chat.completion","model":"gpt-6.2-sol","choices":[{"index":0,)"
           R"("message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":)"_ba
        + kChatWriteUsage + "}";
}

QByteArray chatWriteStream()
{
    return sse({R"({"id":"chatcmpl-6","choices":[{"index":0,"delta":{"content":"Hi"}}],"usage":null})"_ba,
                R"({"id":"chatcmpl-6","choices":[],"usage":)"_ba + kChatWriteUsage + "}", "[DONE]"});
}

const QByteArray kResponsesWriteUsage
    = R"({"input_tokens":20000,"input_tokens_details":{"cached_tokens":12000,"cache_write_tokens":7000},)"
      R"("output_tokens":500,"output_tokens_details":{"reasoning_tokens":100},"total_tokens":20500})"_ba;

QByteArray responsesWriteJson()
{
    return R"({"id":"resp_6","object":"response","status":"completed","model":"gpt-6.2-sol","output":[],)"
           R"("usage":)"_ba
        + kResponsesWriteUsage + "}";
}

QByteArray responsesWriteStream()
{
    return named({
        {"response.output_text.delta",
         R"({"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,)"
         R"("content_index":0,"delta":"Hi"})"},
        {"response.completed",
         R"({"type":"response.completed","sequence_number":9,"response":{"id":"resp_6","object":"response",)"
         R"("status":"completed","model":"gpt-6.2-sol","output":[],"usage":)"_ba
             + kResponsesWriteUsage + "}}"},
    });
}

// The final usage of chatStreamWithUsage() as one JSON body.
QByteArray chatJsonWithStreamUsage()
{
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[],\"usage\":"_ba + kChatUsage + "}";
}

const QByteArray kAnthropicOneHourDelta
    = "{\"output_tokens\":210,\"cache_creation\":{\"ephemeral_5m_input_tokens\":500,"
      "\"ephemeral_1h_input_tokens\":1000}}"_ba;

const QByteArray kAnthropicOneHourJson
    = "{\"id\":\"msg_03\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],"
      "\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":1500,\"cache_read_input_tokens\":8000,"
      "\"cache_creation\":{\"ephemeral_5m_input_tokens\":500,\"ephemeral_1h_input_tokens\":1000},"
      "\"output_tokens\":210}}"_ba;

// Round rates, so the expected costs can be checked by hand (micro-dollars).
const QByteArray kTestBook
    = "{\"version\":\"tap-1\",\"providers\":{"
      "\"openai\":{\"models\":{\"gpt-test\":{\"input\":2,\"output\":8,\"cached_input\":0.5},"
      "\"gpt-6-test\":{\"input\":2,\"output\":10,\"cached_input\":0.1,\"cache_write\":2.5}}},"
      "\"deepseek\":{\"models\":{\"ds-test\":{\"input\":0.14,\"output\":0.28,\"cached_input\":0.0028}}},"
      "\"anthropic\":{\"models\":{\"claude-test\":{\"input\":3,\"output\":15,\"cached_input\":0.3,"
      "\"cache_write\":3.75,\"cache_write_1h\":6}}}}}"_ba;

} // namespace

void TestResponseTap::usage_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<TokenUsage>("expected");

    QTest::newRow("chat stream, client asked usage")
        << Endpoint::ChatCompletions << true << chatStreamWithUsage() << tokens(1117, 46, 1024);
    QTest::newRow("chat stream, no usage") << Endpoint::ChatCompletions << true << chatStreamPlain() << TokenUsage();
    QTest::newRow("chat stream, crlf") << Endpoint::ChatCompletions << true << crlf(chatStreamWithUsage())
                                       << tokens(1117, 46, 1024);
    QTest::newRow("legacy completions stream")
        << Endpoint::Completions << true
        << sse({R"({"id":"cmpl-1","object":"text_completion","created":1,"choices":[{"text":"Hi","index":0,)"
                R"("logprobs":null,"finish_reason":null}],"model":"gpt-3.5-turbo-instruct","usage":null})",
                R"({"id":"cmpl-1","object":"text_completion","created":1,"choices":[],)"
                R"("model":"gpt-3.5-turbo-instruct","usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}})",
                "[DONE]"})
        << tokens(5, 7);
    QTest::newRow("responses stream, completed")
        << Endpoint::Responses << true << responsesStream("response.completed") << tokens(37, 150, 12, 0, 128);
    QTest::newRow("responses stream, incomplete")
        << Endpoint::Responses << true << responsesStream("response.incomplete") << tokens(37, 150, 12, 0, 128);
    QTest::newRow("responses stream, failed")
        << Endpoint::Responses << true << responsesStream("response.failed") << tokens(37, 150, 12, 0, 128);
    QTest::newRow("responses stream, other event ignored")
        << Endpoint::Responses << true << responsesStream("response.output_item.done") << TokenUsage();
    QTest::newRow("anthropic stream, cache and thinking")
        << Endpoint::Messages << true << anthropicStream(R"({"output_tokens":210})") << tokens(12, 210, 8000, 1500);
    QTest::newRow("anthropic stream, cumulative delta")
        << Endpoint::Messages << true
        << anthropicStream(R"({"input_tokens":12,"cache_creation_input_tokens":1500,)"
                           R"("cache_read_input_tokens":8100,"output_tokens":211})")
        << tokens(12, 211, 8100, 1500);
    QTest::newRow("anthropic stream, 1-hour cache writes in the delta")
        << Endpoint::Messages << true
        << anthropicStream("{\"output_tokens\":210,\"cache_creation\":{\"ephemeral_5m_input_tokens\":500,"
                           "\"ephemeral_1h_input_tokens\":1000}}")
        << tokens(12, 210, 8000, 1500, 0, 1000);
    QTest::newRow("anthropic stream, null fields keep start")
        << Endpoint::Messages << true
        << anthropicStream(R"({"input_tokens":null,"cache_read_input_tokens":null,"output_tokens":99})")
        << tokens(12, 99, 8000, 1500);
    QTest::newRow("anthropic stream, crlf")
        << Endpoint::Messages << true << crlf(anthropicStream(R"({"output_tokens":210})"))
        << tokens(12, 210, 8000, 1500);
    QTest::newRow("chat json") << Endpoint::ChatCompletions << false << kChatCompletion
                               << tokens(2006, 300, 1920, 0, 256);
    QTest::newRow("responses json") << Endpoint::Responses << false << kResponse << tokens(328, 52, 256);
    QTest::newRow("anthropic json") << Endpoint::Messages << false << kMessage << tokens(21, 393, 0, 188086);
    QTest::newRow("anthropic json, 1-hour cache writes")
        << Endpoint::Messages << false
        << QByteArray("{\"id\":\"msg_02\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],"
                      "\"usage\":{\"input_tokens\":21,\"cache_creation_input_tokens\":3000,"
                      "\"cache_read_input_tokens\":0,\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,"
                      "\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":393}}")
        << tokens(21, 393, 0, 3000, 0, 2000);
    // Without cache_creation_input_tokens the split's sum is the total: the 1-hour writes
    // stay a part of the writes and are priced, not dropped.
    QTest::newRow("anthropic json, 1-hour split without its total")
        << Endpoint::Messages << false
        << QByteArray("{\"usage\":{\"input_tokens\":21,\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,"
                      "\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":393}}")
        << tokens(21, 393, 0, 3000, 0, 2000);
    QTest::newRow("gpt-6 chat json, cache writes")
        << Endpoint::ChatCompletions << false << chatWriteJson() << tokens(9657, 78, 0, 9654, 37);
    QTest::newRow("gpt-6 chat stream, cache writes")
        << Endpoint::ChatCompletions << true << chatWriteStream() << tokens(9657, 78, 0, 9654, 37);
    QTest::newRow("gpt-6 responses json, reads and writes")
        << Endpoint::Responses << false << responsesWriteJson() << tokens(20000, 500, 12000, 7000, 100);
    QTest::newRow("gpt-6 responses stream, reads and writes")
        << Endpoint::Responses << true << responsesWriteStream() << tokens(20000, 500, 12000, 7000, 100);
    QTest::newRow("deepseek json, cache hits")
        << Endpoint::ChatCompletions << false << deepSeekJson() << tokens(1500, 120, 1280, 0, 64);
    QTest::newRow("deepseek stream, cache hits")
        << Endpoint::ChatCompletions << true << deepSeekStream() << tokens(1500, 120, 1280, 0, 64);
    QTest::newRow("embeddings json") << Endpoint::Embeddings << false << kEmbeddings << tokens(8, 0);
    QTest::newRow("count_tokens json") << Endpoint::CountTokens << false << R"({"input_tokens":2095})"_ba
                                       << tokens(2095, 0);
    QTest::newRow("openai error json")
        << Endpoint::ChatCompletions << false
        << R"({"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}})"_ba
        << TokenUsage();
    QTest::newRow("anthropic error json")
        << Endpoint::Messages << false
        << R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"_ba << TokenUsage();
    QTest::newRow("truncated json falls back to last usage")
        << Endpoint::Messages << false << kMessage.chopped(1) << tokens(21, 393, 0, 188086);
    QTest::newRow("truncated inside usage: unknown")
        << Endpoint::Messages << false << kMessage.chopped(30) << TokenUsage();
    QTest::newRow("models list") << Endpoint::Models << false
                                 << R"({"object":"list","data":[{"id":"gpt-4o","object":"model"}]})"_ba << TokenUsage();
}

// Usage comes out the same whatever the feed boundaries: every two-piece split and one
// byte at a time.
void TestResponseTap::usage()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(bool, stream);
    QFETCH(QByteArray, body);
    QFETCH(TokenUsage, expected);
    QCOMPARE(fields(run(endpoint, stream, false, body, {}).usage), fields(expected));
    for (qsizetype cut = 0; cut <= body.size(); ++cut)
        QCOMPARE(fields(run(endpoint, stream, false, body, {cut}).usage), fields(expected));
    QList<qsizetype> bytes;
    for (qsizetype i = 1; i < body.size(); ++i)
        bytes << i;
    QCOMPARE(fields(run(endpoint, stream, false, body, bytes).usage), fields(expected));
}

// The same answer streamed or as one body ends with the same usage and so the same cost;
// cached tokens are counted once: a part of the prompt for OpenAI and DeepSeek, on top of
// it for Anthropic, whose 1-hour writes cost 2x input and the rest of the writes 1.25x.
void TestResponseTap::streamedAndWholeArePricedAlike_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QByteArray>("whole");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("model");
    QTest::addColumn<qint64>("expected");
    // (1117 - 1024) x 2 + 1024 x 0.5 + 46 x 8 = 186 + 512 + 368.
    QTest::newRow("openai") << Endpoint::ChatCompletions << chatStreamWithUsage() << chatJsonWithStreamUsage()
                            << QStringLiteral("openai") << QStringLiteral("gpt-test") << qint64(1066);
    // GPT-6: the writes are a part of the prompt, billed once at the write rate.
    // 3 x 2 + 9654 x 2.5 + 78 x 10 = 6 + 24135 + 780 (input alone would give 20094).
    QTest::newRow("openai chat, cache writes")
        << Endpoint::ChatCompletions << chatWriteStream() << chatWriteJson() << QStringLiteral("openai")
        << QStringLiteral("gpt-6-test") << qint64(24921);
    // 1000 x 2 + 12000 x 0.1 + 7000 x 2.5 + 500 x 10 = 2000 + 1200 + 17500 + 5000.
    QTest::newRow("openai responses, reads and writes")
        << Endpoint::Responses << responsesWriteStream() << responsesWriteJson() << QStringLiteral("openai")
        << QStringLiteral("gpt-6-test") << qint64(25700);
    // 220 x 0.14 + 1280 x 0.0028 + 120 x 0.28 = 30.8 + 3.584 + 33.6 = 67.984, rounded once.
    QTest::newRow("deepseek") << Endpoint::ChatCompletions << deepSeekStream() << deepSeekJson()
                              << QStringLiteral("deepseek") << QStringLiteral("ds-test") << qint64(68);
    // 12 x 3 + 8000 x 0.3 + 500 x 3.75 + 1000 x 6 + 210 x 15 = 36 + 2400 + 1875 + 6000 + 3150.
    QTest::newRow("anthropic, 1-hour writes")
        << Endpoint::Messages << anthropicStream(kAnthropicOneHourDelta) << kAnthropicOneHourJson
        << QStringLiteral("anthropic") << QStringLiteral("claude-test") << qint64(13461);
}

void TestResponseTap::streamedAndWholeArePricedAlike()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(QByteArray, stream);
    QFETCH(QByteArray, whole);
    QFETCH(QString, provider);
    QFETCH(QString, model);
    QFETCH(qint64, expected);
    const auto book = sy::pricing::PriceBook::fromJson(kTestBook);
    QVERIFY2(book.ok(), qPrintable(book.error()));
    const sy::CacheConvention convention = endpoint == Endpoint::Messages ? sy::CacheConvention::InputExcludesCached
                                                                          : sy::CacheConvention::InputIncludesCached;
    const TokenUsage streamed = run(endpoint, true, false, stream, {}).usage;
    const TokenUsage inOneBody = run(endpoint, false, false, whole, {}).usage;
    QCOMPARE(fields(streamed), fields(inOneBody));
    QCOMPARE(book->costMicroUsd(provider, model, streamed, convention,
                                QDateTime(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC)),
             std::optional<qint64>(expected));
    QCOMPARE(book->costMicroUsd(provider, model, inOneBody, convention,
                                QDateTime(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC)),
             std::optional<qint64>(expected));
}

void TestResponseTap::hideInjectedUsage_data()
{
    QTest::addColumn<QByteArray>("upstream");
    QTest::addColumn<QByteArray>("client"); // what the client would have got without include_usage
    QTest::addColumn<TokenUsage>("expected");
    QTest::newRow("tool call stream") << chatStreamWithUsage() << chatStreamPlain() << tokens(1117, 46, 1024);
    QTest::newRow("crlf") << crlf(chatStreamWithUsage()) << crlf(chatStreamPlain()) << tokens(1117, 46, 1024);
    QTest::newRow("usage first member") << sse(
        {R"({"usage":null,"id":"c","choices":[{"index":0,"delta":{"content":"a"}}]})",
         R"({"usage" : null , "id":"c","choices":[]})", // not empty-choices+usage-object: kept
         R"({"id":"c","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1}})", "[DONE]"})
                                        << sse({R"({"id":"c","choices":[{"index":0,"delta":{"content":"a"}}]})",
                                                R"({"id":"c","choices":[]})", "[DONE]"})
                                        << tokens(3, 1);
    QTest::newRow("usage only member") << sse({R"({"usage":null})"}) << sse({"{}"}) << TokenUsage();
    QTest::newRow("spaced json") << sse({R"({"id": "c", "choices": [], "usage": null })"})
                                 << sse({R"({"id": "c", "choices": [] })"}) << TokenUsage();
    QTest::newRow("comments, keep-alives, multi-line data and junk pass")
        << ": keep-alive\n\nevent: x\ndata: {\"a\":1,\n data: \"usage\":null}\n\ndata: not "
           "json,\"usage\":null\n\n"
           "data: {\"id\":\"c\",\"usage\":null}\r\n\r\n"_ba
        << ": keep-alive\n\nevent: x\ndata: {\"a\":1,\n data: \"usage\":null}\n\ndata: not "
           "json,\"usage\":null\n\n"
           "data: {\"id\":\"c\"}\r\n\r\n"_ba
        << TokenUsage();
    QTest::newRow("unterminated last event") << "data: {\"id\":\"c\",\"usage\":null}\n\ndata: [DONE]"_ba
                                             << "data: {\"id\":\"c\"}\n\ndata: [DONE]"_ba << TokenUsage();
    QTest::newRow("usage on a chunk with choices is kept")
        << sse({R"({"choices":[{"index":0}],"usage":{"prompt_tokens":4,"completion_tokens":2}})"})
        << sse({R"({"choices":[{"index":0}],"usage":{"prompt_tokens":4,"completion_tokens":2}})"}) << tokens(4, 2);
}

// The client receives byte for byte the stream it would have had without include_usage,
// whatever the feed boundaries.
void TestResponseTap::hideInjectedUsage()
{
    QFETCH(QByteArray, upstream);
    QFETCH(QByteArray, client);
    QFETCH(TokenUsage, expected);
    const Run whole = run(Endpoint::ChatCompletions, true, true, upstream, {});
    QCOMPARE(whole.out, client);
    QCOMPARE(fields(whole.usage), fields(expected));
    for (qsizetype cut = 0; cut <= upstream.size(); ++cut) {
        const Run split = run(Endpoint::ChatCompletions, true, true, upstream, {cut});
        QCOMPARE(split.out, client);
        QCOMPARE(fields(split.usage), fields(expected));
    }
    QList<qsizetype> bytes;
    for (qsizetype i = 1; i < upstream.size(); ++i)
        bytes << i;
    QCOMPARE(run(Endpoint::ChatCompletions, true, true, upstream, bytes).out, client);
}

void TestResponseTap::transforms_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<bool>("hide");
    QTest::addColumn<bool>("transforms");
    QTest::newRow("chat stream hide") << Endpoint::ChatCompletions << true << true << true;
    QTest::newRow("chat stream") << Endpoint::ChatCompletions << true << false << false;
    QTest::newRow("chat json hide") << Endpoint::ChatCompletions << false << true << false;
    QTest::newRow("completions stream hide") << Endpoint::Completions << true << true << false;
    QTest::newRow("responses stream hide") << Endpoint::Responses << true << true << false;
    QTest::newRow("messages stream hide") << Endpoint::Messages << true << true << false;
}

void TestResponseTap::transforms()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(bool, stream);
    QFETCH(bool, hide);
    QFETCH(bool, transforms);
    QCOMPARE(ResponseTap(endpoint, stream, hide).transforms(), transforms);
}

void TestResponseTap::passThroughLeavesOutUntouched()
{
    for (const bool stream : {true, false}) {
        ResponseTap tap(Endpoint::ChatCompletions, stream, false);
        QByteArray out = "sentinel"_ba;
        const QByteArray body = stream ? chatStreamWithUsage() : kChatCompletion;
        tap.feed(body, out);
        tap.finish(out);
        QCOMPARE(out, "sentinel"_ba);
        QVERIFY(tap.usage().known());
    }
}

void TestResponseTap::largeBodyKeepsOnlyTail_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<TokenUsage>("expected");
    // 300 KiB of embedding numbers ahead of the usage.
    QByteArray numbers;
    while (numbers.size() < 300 * 1024)
        numbers += "-0.0069292835,";
    numbers += "0.1";
    QTest::newRow("embeddings") << Endpoint::Embeddings
                                << R"({"object":"list","data":[{"object":"embedding","index":0,"embedding":[)" + numbers
            + R"(]}],"model":"text-embedding-3-large","usage":{"prompt_tokens":512,"total_tokens":512}})"
                                << tokens(512, 0);
    // A long answer that quotes usage JSON, and after the real usage a key ending in an
    // escaped quote followed by "usage": neither may be taken for the usage.
    const QByteArray text = QByteArray(200 * 1024, 'x') + R"( \"usage\": {\"prompt_tokens\": 1} )";
    QTest::newRow("chat with decoys") << Endpoint::ChatCompletions
                                      << R"({"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":")"
            + text
            + R"("}}],"usage":{"prompt_tokens":10,"completion_tokens":70000,"completion_tokens_details":)"
              R"({"reasoning_tokens":5}},"x":{"note \"usage":{"prompt_tokens":666}}})"
                                      << tokens(10, 70000, 0, 0, 5);
    QTest::newRow("anthropic long answer")
        << Endpoint::Messages
        << R"({"id":"m","content":[{"type":"text","text":")" + QByteArray(150 * 1024, 'y')
            + R"("}],"usage":{"input_tokens":4,"cache_read_input_tokens":9,"output_tokens":40000}})"
        << tokens(4, 40000, 9);
}

void TestResponseTap::largeBodyKeepsOnlyTail()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(QByteArray, body);
    QFETCH(TokenUsage, expected);
    for (const qsizetype chunk : {qsizetype(1000), qsizetype(16 * 1024), qsizetype(100 * 1024), body.size()}) {
        QList<qsizetype> cuts;
        for (qsizetype at = chunk; at < body.size(); at += chunk)
            cuts << at;
        QCOMPARE(fields(run(endpoint, false, false, body, cuts).usage), fields(expected));
    }
}

// An event beyond 8 MiB is passed on without being held or edited; the stream around it
// is still filtered and its usage still read.
void TestResponseTap::oversizedEvent()
{
    const QByteArray huge = R"({"id":"c","choices":[{"index":0,"delta":{"content":")"
        + QByteArray(ResponseTap::kMaxEventSize + 1024, 'z') + R"("}}],"usage":null})";
    const QByteArray upstream
        = sse({R"({"id":"c","choices":[],"usage":null})", huge,
               R"({"id":"c","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}})", "[DONE]"});
    const QByteArray client = sse({R"({"id":"c","choices":[]})", huge, "[DONE]"});
    for (const bool hide : {true, false}) {
        ResponseTap tap(Endpoint::ChatCompletions, true, hide);
        QByteArray out;
        for (qsizetype at = 0; at < upstream.size(); at += 64 * 1024)
            tap.feed(QByteArrayView(upstream).sliced(at, qMin<qsizetype>(64 * 1024, upstream.size() - at)), out);
        tap.finish(out);
        if (hide)
            QVERIFY(out == client);
        else
            QVERIFY(out.isEmpty());
        QCOMPARE(fields(tap.usage()), fields(tokens(1, 2)));
    }
}

void TestResponseTap::finishTwice()
{
    ResponseTap tap(Endpoint::ChatCompletions, true, true);
    QByteArray out;
    tap.feed("data: {\"usage\":null,\"id\":\"c\"}", out);
    QVERIFY(out.isEmpty()); // held until complete
    tap.finish(out);
    QCOMPARE(out, "data: {\"usage\":null,\"id\":\"c\"}"_ba); // unterminated: passed as it came
    tap.finish(out);
    tap.feed("data: x\n\n", out);
    QCOMPARE(out, "data: {\"usage\":null,\"id\":\"c\"}"_ba);
}

#endif // Q_MOC_RUN

QTEST_GUILESS_MAIN(TestResponseTap)
#include "tst_responsetap.moc"
