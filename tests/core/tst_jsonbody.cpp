// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "providers/jsonbody.h"

using namespace sy::providers;
using namespace Qt::StringLiterals;

class TestJsonBody : public QObject
{
    Q_OBJECT

private slots:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void errorNeverQuotesTheBody();
    void reads_data();
    void reads();
    void setString_data();
    void setString();
    void ensureStreamIncludeUsage_data();
    void ensureStreamIncludeUsage();
    // Several edits in a row keep every span right: reads after each edit see the right
    // values, and the final bytes differ from the original only in the edited fields.
    void editsKeepSpans();
    void sameValueChangesNoByte();
};

// moc 6.4 mis-lexes raw string literals holding quotes: keep the test bodies from it.
#ifndef Q_MOC_RUN

namespace {

QByteArray nested(int depth)
{
    // One top-level object holding depth - 1 nested arrays: `depth` levels in all.
    return "{\"a\":" + QByteArray(depth - 1, '[') + QByteArray(depth - 1, ']') + '}';
}

// An Anthropic request with prompt-caching markers, pretty-printed the way the SDKs and
// coding agents send it. Caching keys on these exact bytes.
const QByteArray kCachedAnthropicRequest
    = QByteArray("{\n"
                 "  \"model\": \"claude-sonnet-4-5\",\n"
                 "  \"max_tokens\": 1024,\n"
                 "  \"system\": [\n"
                 "    {\"type\": \"text\", \"text\": \"You are a careful assistant.\\nAnswer briefly.\"},\n"
                 "    {\"type\": \"text\", \"text\": \"<long reference document \\u00e9\\ud83d\\ude00>\","
                 " \"cache_control\": {\"type\": \"ephemeral\"}}\n"
                 "  ],\n"
                 "  \"tools\": [{\"name\": \"get_weather\", \"description\": \"Weather\", \"input_schema\":"
                 " {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}},"
                 " \"cache_control\": {\"type\": \"ephemeral\", \"ttl\": \"1h\"}}],\n"
                 "  \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Hi\","
                 " \"cache_control\": {\"type\": \"ephemeral\"}}]}],\n"
                 "  \"temperature\": 0.70,\n"
                 "  \"stream\": true\n"
                 "}\n");

const QByteArray kChatRequest
    = QByteArray(R"({"model":"fast","messages":[{"role":"system","content":"Be terse."},)"
                 R"({"role":"user","content":"What's 2+2? \"quote\" \u00e9"}],)"
                 R"("tools":[{"type":"function","function":{"name":"add","parameters":{"type":"object",)"
                 R"("properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}}}],)"
                 R"("temperature":1e0,"stream":true})");

} // namespace

void TestJsonBody::valid_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("whitespace around") << QByteArray(" \t\r\n{ \n } \r\n");
    QTest::newRow("all value kinds") << QByteArray(
        R"({"s":"x","n":-0.5e+10,"z":0,"e":1E-2,"t":true,"f":false,"null":null,"a":[1,[],{}],"o":{"k":[]}})");
    QTest::newRow("escapes") << QByteArray(R"({"s":"\"\\\/\b\f\n\r\t\u00E9\uD83D\uDE00"})");
    QTest::newRow("lone surrogate escape accepted") << QByteArray(R"({"s":"\uD800","t":"\uDC00x"})");
    QTest::newRow("raw utf8") << QByteArray("{\"s\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\"}");
    QTest::newRow("del is not a control") << QByteArray("{\"s\":\"\x7f\"}");
    QTest::newRow("depth 128") << nested(128);
    QTest::newRow("real chat request") << kChatRequest;
    QTest::newRow("cached anthropic request") << kCachedAnthropicRequest;
}

void TestJsonBody::valid()
{
    QFETCH(QByteArray, body);
    const auto parsed = JsonBody::parse(body);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QCOMPARE(parsed->bytes(), body);
}

void TestJsonBody::invalid_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    const auto at = [](int offset) { return u"request body is not valid JSON (byte %1)"_s.arg(offset); };
    const QString notObject = u"request body is not a JSON object"_s;
    QTest::newRow("empty") << QByteArray() << u"request body is empty"_s;
    QTest::newRow("only whitespace") << QByteArray(" \n") << u"request body is empty"_s;
    QTest::newRow("trailing comma object") << QByteArray(R"({"a":1,})") << at(7);
    QTest::newRow("trailing comma array") << QByteArray(R"({"a":[1,]})") << at(8);
    QTest::newRow("double comma") << QByteArray(R"({"a":1,,"b":2})") << at(7);
    QTest::newRow("leading comma") << QByteArray(R"({,"a":1})") << at(1);
    QTest::newRow("raw control in string") << QByteArray("{\"a\":\"x\x01y\"}") << at(7);
    QTest::newRow("raw tab in string") << QByteArray("{\"a\":\"x\ty\"}") << at(7);
    QTest::newRow("raw newline in key") << QByteArray("{\"a\nb\":1}") << at(3);
    QTest::newRow("bad escape") << QByteArray(R"({"a":"\x"})") << at(7);
    QTest::newRow("short unicode escape") << QByteArray(R"({"a":"\u12"})") << at(10);
    QTest::newRow("non-hex unicode escape") << QByteArray(R"({"a":"\u12G4"})") << at(10);
    QTest::newRow("leading zero") << QByteArray(R"({"a":01})") << at(6);
    QTest::newRow("bare dot") << QByteArray(R"({"a":1.})") << at(7);
    QTest::newRow("leading dot") << QByteArray(R"({"a":.5})") << at(5);
    QTest::newRow("plus sign") << QByteArray(R"({"a":+1})") << at(5);
    QTest::newRow("lone minus") << QByteArray(R"({"a":-})") << at(6);
    QTest::newRow("empty exponent") << QByteArray(R"({"a":1e})") << at(7);
    QTest::newRow("NaN") << QByteArray(R"({"a":NaN})") << at(5);
    QTest::newRow("bad literal") << QByteArray(R"({"a":tru})") << at(8);
    QTest::newRow("single quotes") << QByteArray(R"({'a':1})") << at(1);
    QTest::newRow("unquoted key") << QByteArray(R"({a:1})") << at(1);
    QTest::newRow("missing colon") << QByteArray(R"({"a" 1})") << at(5);
    QTest::newRow("comment") << QByteArray("{/*c*/\"a\":1}") << at(1);
    QTest::newRow("truncated after colon") << QByteArray(R"({"a":)") << at(5);
    QTest::newRow("truncated in string") << QByteArray(R"({"a":"bc)") << at(8);
    QTest::newRow("truncated in escape") << QByteArray(R"({"a":"\)") << at(7);
    QTest::newRow("truncated open") << QByteArray("{") << at(1);
    QTest::newRow("truncated array") << QByteArray(R"({"a":[1,2)") << at(9);
    QTest::newRow("trailing garbage") << QByteArray("{} x") << at(3);
    QTest::newRow("two objects") << QByteArray("{}{}") << at(2);
    QTest::newRow("byte order mark") << QByteArray("\xef\xbb\xbf{}") << at(0);
    QTest::newRow("overlong utf8") << QByteArray("{\"a\":\"\xc0\x80\"}") << at(6);
    QTest::newRow("utf8 surrogate") << QByteArray("{\"a\":\"\xed\xa0\x80\"}") << at(6);
    QTest::newRow("above U+10FFFF") << QByteArray("{\"a\":\"\xf4\x90\x80\x80\"}") << at(6);
    QTest::newRow("stray continuation") << QByteArray("{\"a\":\"\x80\"}") << at(6);
    QTest::newRow("truncated utf8") << QByteArray("{\"a\":\"\xe2\x82\"}") << at(6);
    QTest::newRow("latin1 byte") << QByteArray("{\"a\":\"caf\xe9\"}") << at(9);
    QTest::newRow("top-level array") << QByteArray("[1,2]") << notObject;
    QTest::newRow("top-level string") << QByteArray(R"("model")") << notObject;
    QTest::newRow("top-level invalid array") << QByteArray("[1,]") << at(3);
    QTest::newRow("depth 129") << nested(129) << u"request body nests deeper than 128 levels (byte 132)"_s;
    QTest::newRow("depth 100000") << nested(100000) << u"request body nests deeper than 128 levels (byte 132)"_s;
}

void TestJsonBody::invalid()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    const auto parsed = JsonBody::parse(body);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error(), error);
}

void TestJsonBody::errorNeverQuotesTheBody()
{
    const QByteArray body = QByteArray(R"({"api_key":"sk-SECRETSECRET","x":[1,,]})");
    const auto parsed = JsonBody::parse(body);
    QVERIFY(!parsed.ok());
    QVERIFY(!parsed.error().contains(u"SECRET"));
    QVERIFY(!parsed.error().contains(u"api_key"));
    QCOMPARE(parsed.error(), u"request body is not valid JSON (byte 36)"_s);
}

void TestJsonBody::reads_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<bool>("has");
    QTest::addColumn<QString>("string"); // null: absent or not a string
    QTest::addColumn<int>("boolean"); // -1: nullopt
    QTest::newRow("plain") << QByteArray(R"({"model":"gpt-4o"})") << "model"_ba << true << u"gpt-4o"_s << -1;
    QTest::newRow("whitespace") << QByteArray("{ \"model\" :\n \"m\" }") << "model"_ba << true << u"m"_s << -1;
    QTest::newRow("absent") << QByteArray(R"({"modelx":"a","xmodel":"b"})") << "model"_ba << false << QString() << -1;
    QTest::newRow("nested only") << QByteArray(R"({"a":{"model":"x"},"b":["model"]})") << "model"_ba << false
                                 << QString() << -1;
    QTest::newRow("number") << QByteArray(R"({"model":12})") << "model"_ba << true << QString() << -1;
    QTest::newRow("null") << QByteArray(R"({"model":null})") << "model"_ba << true << QString() << -1;
    QTest::newRow("empty string") << QByteArray(R"({"model":""})") << "model"_ba << true << u""_s << -1;
    QTest::newRow("simple escapes") << QByteArray(R"({"k":"a\"b\\c\/d\be\ff\ng\rh\ti"})") << "k"_ba << true
                                    << u"a\"b\\c/d\be\ff\ng\rh\ti"_s << -1;
    QTest::newRow("unicode escape") << QByteArray(R"({"k":"caf\u00e9 \u20AC"})") << "k"_ba << true
                                    << u"caf\u00e9 \u20ac"_s << -1;
    QTest::newRow("surrogate pair") << QByteArray(R"({"k":"<\ud83d\ude00>"})") << "k"_ba << true << u"<\U0001F600>"_s
                                    << -1;
    QTest::newRow("lone high") << QByteArray(R"({"k":"<\ud83d>"})") << "k"_ba << true << u"<\ufffd>"_s << -1;
    QTest::newRow("lone low") << QByteArray(R"({"k":"<\ude00>"})") << "k"_ba << true << u"<\ufffd>"_s << -1;
    QTest::newRow("high then non-low") << QByteArray(R"({"k":"\ud83d\u0041"})") << "k"_ba << true << u"\ufffdA"_s << -1;
    QTest::newRow("high at end") << QByteArray(R"({"k":"a\ud83d"})") << "k"_ba << true << u"a\ufffd"_s << -1;
    QTest::newRow("raw utf8") << QByteArray("{\"k\":\"\xc3\xa9\xf0\x9f\x98\x80\"}") << "k"_ba << true
                              << u"\u00e9\U0001F600"_s << -1;
    QTest::newRow("escaped key") << QByteArray(R"({"mod\u0065l":"m"})") << "model"_ba << true << u"m"_s << -1;
    QTest::newRow("duplicate: last wins")
        << QByteArray(R"({"model":"a","x":1,"model":"b"})") << "model"_ba << true << u"b"_s << -1;
    QTest::newRow("duplicate: last is not a string")
        << QByteArray(R"({"model":"a","model":7})") << "model"_ba << true << QString() << -1;
    QTest::newRow("true") << QByteArray(R"({"stream":true})") << "stream"_ba << true << QString() << 1;
    QTest::newRow("false") << QByteArray(R"({"stream" : false })") << "stream"_ba << true << QString() << 0;
    QTest::newRow("string true") << QByteArray(R"({"stream":"true"})") << "stream"_ba << true << u"true"_s << -1;
    QTest::newRow("bool duplicate") << QByteArray(R"({"stream":true,"stream":false})") << "stream"_ba << true
                                    << QString() << 0;
    QTest::newRow("empty object") << QByteArray("{}") << "stream"_ba << false << QString() << -1;
}

void TestJsonBody::reads()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, key);
    QFETCH(bool, has);
    QFETCH(QString, string);
    QFETCH(int, boolean);
    const auto parsed = JsonBody::parse(body);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QCOMPARE(parsed->has(key), has);
    const QString value = parsed->string(key);
    QCOMPARE(value.isNull(), string.isNull());
    QCOMPARE(value, string);
    const std::optional<bool> b = parsed->boolean(key);
    QCOMPARE(b.has_value(), boolean >= 0);
    if (b)
        QCOMPARE(*b, boolean == 1);
}

void TestJsonBody::setString_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("replace") << QByteArray(R"({ "model" : "fast" , "stream":true })") << "model"_ba << u"gpt-4o-mini"_s
                             << QByteArray(R"({ "model" : "gpt-4o-mini" , "stream":true })");
    QTest::newRow("shorter") << QByteArray(R"({"model":"a-long-route-name","n":1})") << "model"_ba << u"m"_s
                             << QByteArray(R"({"model":"m","n":1})");
    QTest::newRow("non-string value") << QByteArray(R"({"model":[1,2],"n":1})") << "model"_ba << u"m"_s
                                      << QByteArray(R"({"model":"m","n":1})");
    QTest::newRow("append") << QByteArray(R"({"a":1})") << "model"_ba << u"m"_s << QByteArray(R"({"a":1,"model":"m"})");
    QTest::newRow("append keeps trailing whitespace") << QByteArray("{\"a\": {\"b\":2} \n}\n") << "model"_ba << u"m"_s
                                                      << QByteArray("{\"a\": {\"b\":2},\"model\":\"m\" \n}\n");
    QTest::newRow("empty object") << QByteArray("{}") << "model"_ba << u"m"_s << QByteArray(R"({"model":"m"})");
    QTest::newRow("empty object with space")
        << QByteArray(" { \n } ") << "model"_ba << u"m"_s << QByteArray(" {\"model\":\"m\" \n } ");
    QTest::newRow("escaping") << QByteArray(R"({"model":"x"})") << "model"_ba << u"say \"hi\"\\\n\t\u0001/"_s
                              << QByteArray(R"({"model":"say \"hi\"\\\n\t\u0001/"})");
    QTest::newRow("unicode as utf8") << QByteArray(R"({"model":"x"})") << "model"_ba << u"\u00e9\U0001F600"_s
                                     << QByteArray("{\"model\":\"\xc3\xa9\xf0\x9f\x98\x80\"}");
    QTest::newRow("duplicates all rewritten") << QByteArray(R"({"model":"a","x":"model","model":"b"})") << "model"_ba
                                              << u"yy"_s << QByteArray(R"({"model":"yy","x":"model","model":"yy"})");
    QTest::newRow("escaped key") << QByteArray(R"({"mod\u0065l":"a"})") << "model"_ba << u"b"_s
                                 << QByteArray(R"({"mod\u0065l":"b"})");
    QTest::newRow("nested key untouched") << QByteArray(R"({"meta":{"model":"keep"}})") << "model"_ba << u"m"_s
                                          << QByteArray(R"({"meta":{"model":"keep"},"model":"m"})");
    QByteArray cachedExpected = kCachedAnthropicRequest;
    cachedExpected.replace("\"claude-sonnet-4-5\"", "\"claude-sonnet-4-5-20250929\"");
    QTest::newRow("cache_control body") << kCachedAnthropicRequest << "model"_ba << u"claude-sonnet-4-5-20250929"_s
                                        << cachedExpected;
}

void TestJsonBody::setString()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, key);
    QFETCH(QString, value);
    QFETCH(QByteArray, expected);
    auto parsed = JsonBody::parse(body);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    JsonBody edited = parsed.value();
    edited.setString(key, value);
    QCOMPARE(edited.bytes(), expected);
    QCOMPARE(edited.string(key), value);
    // The result is still valid JSON and reads back the same through a fresh parse.
    const auto reparsed = JsonBody::parse(edited.bytes());
    QVERIFY2(reparsed.ok(), qPrintable(reparsed.error()));
    QCOMPARE(reparsed->string(key), value);
}

void TestJsonBody::ensureStreamIncludeUsage_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<bool>("changed");
    QTest::newRow("absent") << QByteArray(R"({"stream":true})")
                            << QByteArray(R"({"stream":true,"stream_options":{"include_usage":true}})") << true;
    QTest::newRow("absent, pretty") << QByteArray("{\n  \"stream\": true\n}\n")
                                    << QByteArray(
                                           "{\n  \"stream\": true,\"stream_options\":{\"include_usage\":true}\n}\n")
                                    << true;
    QTest::newRow("empty body object") << QByteArray("{}") << QByteArray(R"({"stream_options":{"include_usage":true}})")
                                       << true;
    QTest::newRow("null") << QByteArray(R"({"stream_options":null,"stream":true})")
                          << QByteArray(R"({"stream_options":{"include_usage":true},"stream":true})") << true;
    QTest::newRow("empty options") << QByteArray(R"({"stream_options":{},"n":1})")
                                   << QByteArray(R"({"stream_options":{"include_usage":true},"n":1})") << true;
    QTest::newRow("empty options with space") << QByteArray(R"({"stream_options":{ }})")
                                              << QByteArray(R"({"stream_options":{"include_usage":true }})") << true;
    QTest::newRow("other member") << QByteArray(R"({"stream_options": {"include_obfuscation": false} })")
                                  << QByteArray(
                                         R"({"stream_options": {"include_obfuscation": false,"include_usage":true} })")
                                  << true;
    QTest::newRow("false") << QByteArray(R"({"stream_options": {"include_usage" : false}, "x":1})")
                           << QByteArray(R"({"stream_options": {"include_usage" : true}, "x":1})") << true;
    QTest::newRow("include null") << QByteArray(R"({"stream_options":{"include_usage":null}})")
                                  << QByteArray(R"({"stream_options":{"include_usage":true}})") << true;
    QTest::newRow("already true") << QByteArray(R"({"stream_options":{"include_usage":true},"a":2})")
                                  << QByteArray(R"({"stream_options":{"include_usage":true},"a":2})") << false;
    QTest::newRow("already true among others")
        << QByteArray(R"({"stream_options":{ "include_usage" : true , "x" : 2 }})")
        << QByteArray(R"({"stream_options":{ "include_usage" : true , "x" : 2 }})") << false;
    QTest::newRow("malformed options left alone")
        << QByteArray(R"({"stream_options":"yes"})") << QByteArray(R"({"stream_options":"yes"})") << false;
    QTest::newRow("nested stream_options is not top-level")
        << QByteArray(R"({"x":{"stream_options":{}}})")
        << QByteArray(R"({"x":{"stream_options":{}},"stream_options":{"include_usage":true}})") << true;
}

void TestJsonBody::ensureStreamIncludeUsage()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expected);
    QFETCH(bool, changed);
    auto parsed = JsonBody::parse(body);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    JsonBody edited = parsed.value();
    QCOMPARE(edited.ensureStreamIncludeUsage(), changed);
    QCOMPARE(edited.bytes(), expected);
    QVERIFY(JsonBody::parse(edited.bytes()).ok());
    // A second call finds usage already requested (or, malformed, still leaves it alone).
    QVERIFY(!edited.ensureStreamIncludeUsage());
    QCOMPARE(edited.bytes(), expected);
}

// Several edits in a row keep every span right: reads after each edit see the right
// values, and the final bytes differ from the original only in the edited fields.
void TestJsonBody::editsKeepSpans()
{
    auto parsed = JsonBody::parse(kChatRequest);
    QVERIFY(parsed.ok());
    JsonBody body = parsed.value();
    QVERIFY(body.ensureStreamIncludeUsage());
    body.setString("model", u"gpt-4o-mini-2024-07-18");
    body.setString("user", u"switchyard");
    body.setString("model", u"m");
    QCOMPARE(body.string("model"), u"m"_s);
    QCOMPARE(body.string("user"), u"switchyard"_s);
    QCOMPARE(body.boolean("stream"), std::optional<bool>(true));
    QVERIFY(body.has("tools"));
    QVERIFY(body.has("stream_options"));

    QByteArray expected = kChatRequest;
    expected.replace(R"({"model":"fast",)", R"({"model":"m",)");
    expected.chop(1);
    expected += R"(,"stream_options":{"include_usage":true},"user":"switchyard"})";
    QCOMPARE(body.bytes(), expected);

    // Semantically: the original document plus exactly the three edits.
    QJsonObject want = QJsonDocument::fromJson(kChatRequest).object();
    want.insert(u"model"_s, u"m"_s);
    want.insert(u"user"_s, u"switchyard"_s);
    want.insert(u"stream_options"_s, QJsonObject {{u"include_usage"_s, true}});
    QCOMPARE(QJsonDocument::fromJson(body.bytes()).object(), want);
}

void TestJsonBody::sameValueChangesNoByte()
{
    auto parsed = JsonBody::parse(kCachedAnthropicRequest);
    QVERIFY(parsed.ok());
    JsonBody body = parsed.value();
    body.setString("model", u"claude-sonnet-4-5");
    // Same value: not one byte differs.
    QCOMPARE(body.bytes(), kCachedAnthropicRequest);
    QCOMPARE(body.bytes().count("\"cache_control\""), 3);
}
#endif // Q_MOC_RUN

QTEST_GUILESS_MAIN(TestJsonBody)
#include "tst_jsonbody.moc"
