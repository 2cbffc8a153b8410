// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Anthropic Messages requests rebuilt as OpenAI chat completions requests: each row is a
// request and the exact request the provider must receive (compared as JSON).
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "translate/anthropictoopenairequest.h"

using namespace sy;
using translate::AnthropicToOpenAIRequest;

namespace {
QByteArray shortLongTool();
void addMappingRows();
void addRefusalRows();
void checkEstimates();
} // namespace

class TestAnthropicToOpenAIRequest : public QObject
{
    Q_OBJECT

private slots:
    void maps_data() { addMappingRows(); }
    void maps()
    {
        QFETCH(QByteArray, request);
        QFETCH(bool, maxCompletionTokens);
        QFETCH(QByteArray, expected);
        AnthropicToOpenAIRequest::Options options;
        options.upstreamModel = u"gpt-x"_qs;
        options.clientModel = "m";
        options.maxCompletionTokens = maxCompletionTokens;
        const auto mapped = AnthropicToOpenAIRequest::map(request, options);
        QVERIFY2(mapped.ok(), qPrintable(mapped.error()));
        const QJsonDocument wanted = QJsonDocument::fromJson(expected);
        QVERIFY(wanted.isObject());
        const QJsonObject got = QJsonDocument::fromJson(mapped->body).object();
        QCOMPARE(QString::fromUtf8(QJsonDocument(got).toJson(QJsonDocument::Compact)),
                 QString::fromUtf8(wanted.toJson(QJsonDocument::Compact)));
        QCOMPARE(mapped->translation->clientModel, QByteArray("m"));
        QVERIFY(mapped->translation->estimatedInputTokens > 0);
    }

    void refuses_data() { addRefusalRows(); }
    void refuses()
    {
        QFETCH(QByteArray, request);
        QFETCH(QString, names);
        const auto mapped = AnthropicToOpenAIRequest::map(request, {u"gpt-x"_qs, "m", false});
        QVERIFY(!mapped.ok());
        QVERIFY2(mapped.error().contains(names), qPrintable(mapped.error()));
    }

    void estimateCountsTextAndImages() { checkEstimates(); }
};

namespace {

const QByteArray kLongTool = "mcp__github_enterprise_server__create_or_update_file_contents_in_repository";

QByteArray shortLongTool()
{
    translate::ToolNameMap names;
    return names.shorten(kLongTool);
}

void addMappingRows()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("maxCompletionTokens");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("string system and content") << QByteArray(
        R"({"model":"m","max_tokens":100,"system":"be brief","messages":[{"role":"user","content":"hi"}]})")
                                               << false << QByteArray(R"({"model":"gpt-x","max_tokens":100,"messages":[
            {"role":"system","content":"be brief"},{"role":"user","content":"hi"}]})");
    QTest::newRow("system blocks, max_completion_tokens, sampling, stop") << QByteArray(R"({"model":"m","max_tokens":5,
            "system":[{"type":"text","text":"a","cache_control":{"type":"ephemeral"}},{"type":"text","text":"b"}],
            "temperature":0.5,"top_p":0.9,"top_k":40,"stop_sequences":["END"],
            "messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]})")
                                                                          << true << QByteArray(R"({"model":"gpt-x",
            "max_completion_tokens":5,"temperature":0.5,"top_p":0.9,"stop":["END"],
            "messages":[{"role":"system","content":"a\nb"},{"role":"user","content":"hi"}]})");
    QTest::newRow("images base64 and url") << QByteArray(R"({"model":"m","max_tokens":5,"messages":[{"role":"user",
            "content":[{"type":"text","text":"what is this?"},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
            {"type":"image","source":{"type":"url","url":"https://example.com/a.jpg"}}]}]})")
                                           << false << QByteArray(R"({"model":"gpt-x","max_tokens":5,"messages":[
            {"role":"user","content":[{"type":"text","text":"what is this?"},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
            {"type":"image_url","image_url":{"url":"https://example.com/a.jpg"}}]}]})");
    QTest::newRow("tool use and results, several blocks, is_error, screenshot")
        << QByteArray(R"({"model":"m","max_tokens":5,"messages":[
            {"role":"user","content":"list and shoot"},
            {"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"sig"},
              {"type":"text","text":"On it."},
              {"type":"tool_use","id":"toolu_1","name":"bash","input":{"cmd":"ls"}},
              {"type":"tool_use","id":"toolu_2","name":"screenshot","input":{}}]},
            {"role":"user","content":[
              {"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"a.txt"},{"type":"text","text":"b.txt"}]},
              {"type":"tool_result","tool_use_id":"toolu_2","is_error":true,"content":[{"type":"text","text":"partial"},
                {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]},
              {"type":"text","text":"and now?"}]}]})")
        << false << QByteArray(R"({"model":"gpt-x","max_tokens":5,"messages":[
            {"role":"user","content":"list and shoot"},
            {"role":"assistant","content":"On it.","tool_calls":[
              {"id":"toolu_1","type":"function","function":{"name":"bash","arguments":"{\"cmd\":\"ls\"}"}},
              {"id":"toolu_2","type":"function","function":{"name":"screenshot","arguments":"{}"}}]},
            {"role":"tool","tool_call_id":"toolu_1","content":"a.txt\nb.txt"},
            {"role":"tool","tool_call_id":"toolu_2","content":"Error: partial"},
            {"role":"user","content":[{"type":"text","text":"Images returned by the tool call toolu_2:"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}},
              {"type":"text","text":"and now?"}]}]})");
    QTest::newRow("assistant with only a tool call has null content") << QByteArray(R"({"model":"m","max_tokens":5,
            "messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"x","input":{"a":1}}]}]})")
                                                                      << false << QByteArray(R"({"model":"gpt-x",
            "max_tokens":5,"messages":[{"role":"assistant","content":null,"tool_calls":[
            {"id":"t","type":"function","function":{"name":"x","arguments":"{\"a\":1}"}}]}]})");
    QTest::newRow("tools, tool_choice any, no parallel, server tools left out")
        << QByteArray(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],
            "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}},
                     {"type":"web_search_20250305","name":"web_search","max_uses":3}],
            "tool_choice":{"type":"any","disable_parallel_tool_use":true}})")
        << false << QByteArray(R"({"model":"gpt-x","max_tokens":5,"messages":[{"role":"user","content":"x"}],
            "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather",
              "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
            "tool_choice":"required","parallel_tool_calls":false})");
    QTest::newRow("tool_choice auto") << QByteArray(R"({"model":"m","max_tokens":5,"messages":[],
            "tools":[{"name":"a","input_schema":{}}],"tool_choice":{"type":"auto"}})")
                                      << false << QByteArray(R"({"model":"gpt-x","max_tokens":5,"messages":[],
            "tools":[{"type":"function","function":{"name":"a","parameters":{}}}],"tool_choice":"auto"})");
    QTest::newRow("tool_choice none") << QByteArray(R"({"model":"m","max_tokens":5,"messages":[],
            "tools":[{"name":"a","input_schema":{}}],"tool_choice":{"type":"none"}})")
                                      << false << QByteArray(R"({"model":"gpt-x","max_tokens":5,"messages":[],
            "tools":[{"type":"function","function":{"name":"a","parameters":{}}}],"tool_choice":"none"})");
    QTest::newRow("long tool names shortened everywhere")
        << QByteArray(R"({"model":"m","max_tokens":5,"messages":[
            {"role":"assistant","content":[{"type":"tool_use","id":"t","name":")"
                      + kLongTool + R"(","input":{}}]}],
            "tools":[{"name":")"
                      + kLongTool + R"(","input_schema":{}}],"tool_choice":{"type":"tool","name":")" + kLongTool
                      + R"("}})")
        << false
        << QByteArray(R"({"model":"gpt-x","max_tokens":5,"messages":[{"role":"assistant","content":null,
            "tool_calls":[{"id":"t","type":"function","function":{"name":")"
                      + shortLongTool() + R"(","arguments":"{}"}}]}],
            "tools":[{"type":"function","function":{"name":")"
                      + shortLongTool() + R"(","parameters":{}}}],
            "tool_choice":{"type":"function","function":{"name":")"
                      + shortLongTool() + R"("}}})");
    QTest::newRow("stream asks for usage; metadata.user_id hashed; thinking budget dropped")
        << QByteArray(R"({"model":"m","max_tokens":5,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},
            "metadata":{"user_id":"{\"device_id\":\"0123456789abcdef0123456789abcdef\",\"session_id\":\"s-1\"}"},
            "messages":[{"role":"user","content":"x"}]})")
        << false
        << QByteArray(
               R"({"model":"gpt-x","max_tokens":5,"stream":true,"stream_options":{"include_usage":true},
            "user":")"
               + QCryptographicHash::hash(R"({"device_id":"0123456789abcdef0123456789abcdef","session_id":"s-1"})",
                                          QCryptographicHash::Sha256)
                     .toHex()
               + R"(","messages":[{"role":"user","content":"x"}]})");
}

void addRefusalRows()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QString>("names");
    QTest::newRow("document block") << QByteArray(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[
            {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}]}]})")
                                    << u"'document'"_qs;
    QTest::newRow("server tool result in history") << QByteArray(R"({"model":"m","max_tokens":5,"messages":[
            {"role":"user","content":[{"type":"web_search_tool_result","tool_use_id":"s","content":[]}]}]})")
                                                   << u"'web_search_tool_result'"_qs;
    QTest::newRow("bad role") << QByteArray(
        R"({"model":"m","max_tokens":5,"messages":[{"role":"tool","content":"x"}]})")
                              << u"messages.0.role"_qs;
    QTest::newRow("no messages") << QByteArray(R"({"model":"m","max_tokens":5})") << u"messages"_qs;
    QTest::newRow("bad image source") << QByteArray(
        R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[
            {"type":"image","source":{"type":"file","file_id":"f"}}]}]})")
                                      << u"'file'"_qs;
}

void checkEstimates()
{
    const QByteArray text(4000, 'a');
    const auto small = AnthropicToOpenAIRequest::map(
        QByteArray(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":")" + text + R"("}]})"),
        {u"g"_qs, "m"});
    QVERIFY(small.ok());
    QCOMPARE(small->translation->estimatedInputTokens, 1000);
    // A large base64 image is priced as an image, not as its bytes.
    const auto image = AnthropicToOpenAIRequest::map(
        QByteArray(
            R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":")"
            + QByteArray(400000, 'A') + R"("}}]}]})"),
        {u"g"_qs, "m"});
    QVERIFY(image.ok());
    QVERIFY(image->translation->estimatedInputTokens < 5000);
}

} // namespace

QTEST_GUILESS_MAIN(TestAnthropicToOpenAIRequest)
#include "tst_anthropictoopenairequest.moc"
