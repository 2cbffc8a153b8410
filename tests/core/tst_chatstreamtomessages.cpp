// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// An OpenAI chat completions stream re-emitted as Anthropic Messages events: each case is
// fed whole and byte by byte (the output must not depend on where reads end), and read by
// an accumulator that checks the rules Claude Code depends on.
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "anthropicstreamreader.h"
#include "openaistreambuilder.h"
#include "translate/chatstreamtomessages.h"

using namespace sy;
using sy::testsupport::AnthropicStreamReader;
using sy::testsupport::OpenAiStreamBuilder;

namespace {

const QString kLongName = QStringLiteral("mcp__a_very_long_server_name_for_testing__and_an_even_longer_tool_name_here");

std::shared_ptr<translate::Translation> translation()
{
    auto t = std::make_shared<translate::Translation>();
    t->clientModel = "claude-via-gpt";
    t->estimatedInputTokens = 42;
    t->stream = true;
    t->stopSequences = {"STOP!"};
    t->toolNames.shorten(kLongName.toUtf8());
    return t;
}

QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray translateAll(const QByteArray &stream, qsizetype step, bool *whole = nullptr)
{
    translate::ChatStreamToMessages translator(translation());
    QByteArray out;
    if (step <= 0) {
        translator.feed(stream, out);
    } else {
        for (qsizetype i = 0; i < stream.size(); i += step)
            translator.feed(QByteArrayView(stream).sliced(i, qMin(step, stream.size() - i)), out);
    }
    const bool ok = translator.finish(out);
    if (whole)
        *whole = ok;
    return out;
}

void addTranslationRows()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QJsonArray>("content");
    QTest::addColumn<QString>("stopReason");
    QTest::addColumn<QJsonObject>("usage");

    const QJsonObject usage
        = parse(R"({"input_tokens":8,"cache_read_input_tokens":3,"cache_creation_input_tokens":0,"output_tokens":7})");
    const QString shortName = QString::fromUtf8(translation()->toolNames.shorten(kLongName.toUtf8()));
    Q_ASSERT(shortName.size() <= 64 && shortName != kLongName);

    QTest::newRow("text, cached tokens taken out of input")
        << OpenAiStreamBuilder().text({u"Hello, "_qs, u"wörld "_qs, u"👋"_qs}).finish("stop").usage(11, 7, 3).stream()
        << QJsonArray {parse(R"({"type":"text","text":"Hello, wörld 👋"})")} << u"end_turn"_qs << usage;
    QTest::newRow("empty pieces open no block")
        << OpenAiStreamBuilder().text({u""_qs, u"hi"_qs, u""_qs}).finish("stop").usage(11, 7, 3).stream()
        << QJsonArray {parse(R"({"type":"text","text":"hi"})")} << u"end_turn"_qs << usage;
    QTest::newRow("reasoning_content as unsigned thinking")
        << OpenAiStreamBuilder().reasoning(u"let me think"_qs).text({u"42"_qs}).finish("stop").usage(11, 7, 3).stream()
        << QJsonArray {parse(R"({"type":"thinking","thinking":"let me think","signature":""})"),
                       parse(R"({"type":"text","text":"42"})")}
        << u"end_turn"_qs << usage;
    QTest::newRow("reasoning field (OpenRouter)")
        << OpenAiStreamBuilder()
               .reasoning(u"hmm"_qs, "reasoning")
               .text({u"ok"_qs})
               .finish("stop")
               .usage(11, 7, 3)
               .stream()
        << QJsonArray {parse(R"({"type":"thinking","thinking":"hmm","signature":""})"),
                       parse(R"({"type":"text","text":"ok"})")}
        << u"end_turn"_qs << usage;
    // Fragments cut mid-string, between \ and " of an escaped quote, between the halves of 😀.
    QTest::newRow("tool arguments cut awkwardly")
        << OpenAiStreamBuilder()
               .toolStart(0, "call_1", "bash")
               .toolArguments(0, u"{\"command\":\"echo \\"_qs)
               .toolArguments(0, u"\"h\u00e9llo \xd83d"_qs)
               .toolArguments(0, u"\xde00\\\"\",\"n\":2}"_qs)
               .finish("tool_calls")
               .usage(11, 7, 3)
               .stream()
        << QJsonArray {parse(
               R"({"type":"tool_use","id":"call_1","name":"bash","input":{"command":"echo \"héllo 😀\"","n":2}})")}
        << u"tool_use"_qs << usage;
    QTest::newRow("a tool call with finish_reason stop is still tool_use")
        << OpenAiStreamBuilder()
               .text({u"Running it."_qs})
               .toolStart(0, "call_1", "bash")
               .toolArguments(0, u"{\"command\":\"ls\"}"_qs)
               .finish("stop")
               .usage(11, 7, 3)
               .stream()
        << QJsonArray {parse(R"({"type":"text","text":"Running it."})"),
                       parse(R"({"type":"tool_use","id":"call_1","name":"bash","input":{"command":"ls"}})")}
        << u"tool_use"_qs << usage;
    QTest::newRow("parallel calls one after the other")
        << OpenAiStreamBuilder()
               .toolStart(0, "call_a", "read")
               .toolArguments(0, u"{\"path\":"_qs)
               .toolArguments(0, u"\"a.txt\"}"_qs)
               .toolStart(1, "call_b", "read")
               .toolArguments(1, u"{\"path\":\"b.txt\"}"_qs)
               .finish("tool_calls")
               .usage(11, 7, 3)
               .stream()
        << QJsonArray {parse(R"({"type":"tool_use","id":"call_a","name":"read","input":{"path":"a.txt"}})"),
                       parse(R"({"type":"tool_use","id":"call_b","name":"read","input":{"path":"b.txt"}})")}
        << u"tool_use"_qs << usage;
    QTest::newRow("parallel calls interleaved")
        << OpenAiStreamBuilder()
               .toolStart(0, "call_a", "read")
               .toolStart(1, "call_b", "write")
               .toolArguments(1, u"{\"path\":\"b"_qs)
               .toolArguments(0, u"{\"path\":"_qs)
               .toolArguments(1, u".txt\",\"text\":\"}{\"}"_qs)
               .toolArguments(0, u"\"a.txt\"}"_qs)
               .toolStart(2, "call_c", "read")
               .toolArguments(2, u"{}"_qs)
               .finish("tool_calls")
               .usage(11, 7, 3)
               .stream()
        << QJsonArray {parse(R"({"type":"tool_use","id":"call_a","name":"read","input":{"path":"a.txt"}})"),
                       parse(
                           R"({"type":"tool_use","id":"call_b","name":"write","input":{"path":"b.txt","text":"}{"}})"),
                       parse(R"({"type":"tool_use","id":"call_c","name":"read","input":{}})")}
        << u"tool_use"_qs << usage;
    QTest::newRow("a shortened tool name comes back whole") << OpenAiStreamBuilder()
                                                                   .toolStart(0, "call_1", shortName.toUtf8())
                                                                   .toolArguments(0, u"{}"_qs)
                                                                   .finish("tool_calls")
                                                                   .usage(11, 7, 3)
                                                                   .stream()
                                                            << QJsonArray {QJsonObject {{u"type"_qs, u"tool_use"_qs},
                                                                                        {u"id"_qs, u"call_1"_qs},
                                                                                        {u"name"_qs, kLongName},
                                                                                        {u"input"_qs, QJsonObject()}}}
                                                            << u"tool_use"_qs << usage;
    QTest::newRow("length is max_tokens")
        << OpenAiStreamBuilder().text({u"cut"_qs}).finish("length").usage(11, 7, 3).stream()
        << QJsonArray {parse(R"({"type":"text","text":"cut"})")} << u"max_tokens"_qs << usage;
    QTest::newRow("no usage from the provider: estimates, never 0")
        << OpenAiStreamBuilder().text({u"abcdefghijkl"_qs}).finish("stop").stream()
        << QJsonArray {parse(R"({"type":"text","text":"abcdefghijkl"})")} << u"end_turn"_qs
        << parse(R"({"input_tokens":42,"output_tokens":3})");
    QTest::newRow("the provider names the stop sequence (vLLM)")
        << OpenAiStreamBuilder()
               .text({u"done"_qs})
               .raw(R"({"id":"x","choices":[{"index":0,"delta":{},"finish_reason":"stop","stop_reason":"STOP!"}]})")
               .usage(11, 7, 3)
               .stream()
        << QJsonArray {parse(R"({"type":"text","text":"done"})")} << u"stop_sequence"_qs << usage;
    QTest::newRow("no [DONE]: the end of the body ends it")
        << OpenAiStreamBuilder().text({u"x"_qs}).finish("stop").usage(11, 7, 3).stream(false)
        << QJsonArray {parse(R"({"type":"text","text":"x"})")} << u"end_turn"_qs << usage;
}

} // namespace

class TestChatStreamToMessages : public QObject
{
    Q_OBJECT

private slots:
    void translates_data() { addTranslationRows(); }

    void translates()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QJsonArray, content);
        QFETCH(QString, stopReason);
        QFETCH(QJsonObject, usage);

        bool whole = false;
        const QByteArray out = translateAll(stream, 0, &whole);
        QVERIFY(whole);
        // Where the upstream's reads end changes nothing.
        QCOMPARE(translateAll(stream, 1), out);
        QCOMPARE(translateAll(stream, 13), out);

        AnthropicStreamReader reader;
        reader.read(out);
        QVERIFY2(reader.problems().isEmpty(), qPrintable(reader.problems().join(u"; ")));
        QVERIFY(reader.stopped());
        QVERIFY(!reader.sawError());
        QCOMPARE(reader.startInputTokens(), 42);
        const QJsonObject message = reader.message();
        QCOMPARE(message.value(u"model").toString(), u"claude-via-gpt"_qs);
        QCOMPARE(message.value(u"content").toArray(), content);
        QCOMPARE(message.value(u"stop_reason").toString(), stopReason);
        if (stopReason == u"stop_sequence")
            QCOMPARE(message.value(u"stop_sequence").toString(), u"STOP!"_qs);
        else
            QVERIFY(message.value(u"stop_sequence").isNull());
        QCOMPARE(message.value(u"usage").toObject(), usage);
    }

    void eventsLeaveAsChunksArrive()
    {
        // The text delta goes out with the chunk that carried it, not at the end.
        translate::ChatStreamToMessages translator(translation());
        const QList<QByteArray> events
            = OpenAiStreamBuilder().text({u"first"_qs, u"second"_qs}).finish("stop").events();
        QByteArray out;
        translator.feed(events.at(0), out);
        QVERIFY(out.contains("message_start"));
        out.clear();
        translator.feed(events.at(1), out);
        QVERIFY(out.contains("content_block_start"));
        QVERIFY(out.contains("\"first\""));
        out.clear();
        translator.feed(events.at(2), out);
        QVERIFY(out.contains("\"second\""));
        QVERIFY(!out.contains("content_block_stop"));
    }

    void endsWithAnErrorEvent_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<bool>("cut");
        QTest::newRow("the stream stops before any finish")
            << OpenAiStreamBuilder().text({u"half an ans"_qs}).stream(false) << true;
        QTest::newRow("an error chunk mid-stream")
            << OpenAiStreamBuilder()
                   .text({u"x"_qs})
                   .raw(R"({"error":{"message":"overloaded","type":"server_error"}})")
                   .stream()
            << false;
        QTest::newRow("[DONE] without a finish")
            << OpenAiStreamBuilder().toolStart(0, "c", "bash").toolArguments(0, u"{\"a\""_qs).stream() << true;
    }

    void endsWithAnErrorEvent()
    {
        QFETCH(QByteArray, stream);
        QFETCH(bool, cut);
        bool whole = true;
        const QByteArray out = translateAll(stream, 5, &whole);
        QCOMPARE(whole, !cut);
        AnthropicStreamReader reader;
        reader.read(out);
        QVERIFY(reader.sawError());
        QVERIFY(!reader.stopped());
        QCOMPARE(reader.eventTypes().last(), u"error"_qs);
    }

    void failMidStreamSendsAnErrorEvent()
    {
        translate::ChatStreamToMessages translator(translation());
        QByteArray out;
        translator.feed(OpenAiStreamBuilder().text({u"partial"_qs}).stream(false), out);
        translator.fail(out, u"connection reset");
        AnthropicStreamReader reader;
        reader.read(out);
        QCOMPARE(reader.eventTypes().last(), u"error"_qs);
        QVERIFY(!reader.stopped());
    }
};

QTEST_GUILESS_MAIN(TestChatStreamToMessages)
#include "tst_chatstreamtomessages.moc"
