// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QTest>

#include "providers/sseparser.h"

using namespace sy::providers;
using namespace Qt::StringLiterals;

namespace {

// An event flattened for comparison: every field the parser reports.
QByteArray describe(const SseEvent &e)
{
    return "raw=" + e.raw.toPercentEncoding() + " event=" + e.event + " data=" + e.data.toPercentEncoding()
        + " offset=" + QByteArray::number(e.dataOffset) + " hasData=" + QByteArray::number(e.hasData)
        + " complete=" + QByteArray::number(e.complete) + " oversized=" + QByteArray::number(e.oversized);
}

QByteArrayList parseInPieces(const QByteArray &stream, const QList<qsizetype> &cuts)
{
    SseParser parser;
    QList<SseEvent> events;
    qsizetype from = 0;
    for (qsizetype cut : cuts) {
        parser.feed(QByteArrayView(stream).sliced(from, cut - from), events);
        from = cut;
    }
    parser.feed(QByteArrayView(stream).sliced(from), events);
    parser.finish(events);
    QByteArrayList described;
    for (const SseEvent &e : events)
        described << describe(e);
    return described;
}

SseEvent ev(QByteArray raw, QByteArray event, QByteArray data, qsizetype offset, bool hasData = true,
            bool complete = true)
{
    SseEvent e;
    e.raw = std::move(raw);
    e.event = std::move(event);
    e.data = std::move(data);
    e.dataOffset = offset;
    e.hasData = hasData;
    e.complete = complete;
    return e;
}

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void everySplit_data() { parse_data(); }
    void everySplit();
    void oversizedEvent();
    void oversizedWithoutRaw();
    void keepRawOff();
};

#ifndef Q_MOC_RUN

void TestSseParser::parse_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QList<SseEvent>>("expected");
    QTest::newRow("lf") << "data: hello\n\n"_ba << QList<SseEvent> {ev("data: hello\n\n", "", "hello", 6)};
    QTest::newRow("crlf, named, two data lines")
        << "event: ping\r\ndata: a\r\ndata: b\r\n\r\n"_ba
        << QList<SseEvent> {ev("event: ping\r\ndata: a\r\ndata: b\r\n\r\n", "ping", "a\nb", -1)};
    QTest::newRow("cr only") << "data: x\r\rdata: y\r\r"_ba
                             << QList<SseEvent> {ev("data: x\r\r", "", "x", 6), ev("data: y\r\r", "", "y", 6)};
    QTest::newRow("mixed endings") << "data: 1\r\n\ndata: 2\r\r\ndata: 3\n\r"_ba
                                   << QList<SseEvent> {ev("data: 1\r\n\n", "", "1", 6), ev("data: 2\r\r\n", "", "2", 6),
                                                       ev("data: 3\n\r", "", "3", 6)};
    QTest::newRow("no space / two spaces")
        << "data:tight\n\ndata:  loose\n\n"_ba
        << QList<SseEvent> {ev("data:tight\n\n", "", "tight", 5), ev("data:  loose\n\n", "", " loose", 6)};
    QTest::newRow("comment only") << ": keep-alive\n\n"_ba
                                  << QList<SseEvent> {ev(": keep-alive\n\n", "", "", -1, false)};
    QTest::newRow("comment between data")
        << "data: a\n: note\ndata: b\n\n"_ba << QList<SseEvent> {ev("data: a\n: note\ndata: b\n\n", "", "a\nb", -1)};
    QTest::newRow("bare data field") << "data\n\n"_ba << QList<SseEvent> {ev("data\n\n", "", "", 4)};
    QTest::newRow("two empty data lines")
        << "data:\ndata:\n\n"_ba << QList<SseEvent> {ev("data:\ndata:\n\n", "", "\n", -1)};
    QTest::newRow("event without data") << "event: x\n\n"_ba
                                        << QList<SseEvent> {ev("event: x\n\n", "x", "", -1, false)};
    QTest::newRow("id, retry, unknown field")
        << "id: 7\nretry: 10\nfoo: bar\ndata: d\n\n"_ba
        << QList<SseEvent> {ev("id: 7\nretry: 10\nfoo: bar\ndata: d\n\n", "", "d", 31)};
    QTest::newRow("last event name wins") << "event: a\nevent: b\ndata: x\n\n"_ba
                                          << QList<SseEvent> {ev("event: a\nevent: b\ndata: x\n\n", "b", "x", 24)};
    QTest::newRow("colon in value") << "data: {\"a\":\"b: c\"}\n\n"_ba
                                    << QList<SseEvent> {ev("data: {\"a\":\"b: c\"}\n\n", "", "{\"a\":\"b: c\"}", 6)};
    QTest::newRow("byte order mark") << "\xEF\xBB\xBF"
                                        "data: b\n\n"_ba
                                     << QList<SseEvent> {ev("\xEF\xBB\xBF"
                                                            "data: b\n\n",
                                                            "", "b", 9)};
    QTest::newRow("extra blank line") << "data: a\n\n\n"_ba
                                      << QList<SseEvent> {ev("data: a\n\n", "", "a", 6), ev("\n", "", "", -1, false)};
    QTest::newRow("unterminated tail") << "data: a\n\ndata: part"_ba
                                       << QList<SseEvent> {ev("data: a\n\n", "", "a", 6),
                                                           ev("data: part", "", "", -1, false, false)};
    QTest::newRow("unterminated line end")
        << "data: a\n"_ba << QList<SseEvent> {ev("data: a\n", "", "", -1, false, false)};
    QTest::newRow("openai done") << "data: {\"x\":1}\n\ndata: [DONE]\n\n"_ba
                                 << QList<SseEvent> {ev("data: {\"x\":1}\n\n", "", "{\"x\":1}", 6),
                                                     ev("data: [DONE]\n\n", "", "[DONE]", 6)};
    QTest::newRow("anthropic") << "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"_ba
                               << QList<SseEvent> {ev("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
                                                      "message_stop", "{\"type\":\"message_stop\"}", 26)};
    QTest::newRow("empty stream") << QByteArray() << QList<SseEvent>();
}

void TestSseParser::parse()
{
    QFETCH(QByteArray, stream);
    QFETCH(QList<SseEvent>, expected);
    QByteArrayList want;
    for (const SseEvent &e : expected)
        want << describe(e);
    QCOMPARE(parseInPieces(stream, {}), want);
    // dataOffset points at data inside raw.
    for (const SseEvent &e : expected) {
        if (e.dataOffset >= 0)
            QCOMPARE(e.raw.mid(e.dataOffset, e.data.size()), e.data);
    }
}

// The same events, whatever the feed boundaries: every two-piece split, and one byte at
// a time.
void TestSseParser::everySplit()
{
    QFETCH(QByteArray, stream);
    const QByteArrayList whole = parseInPieces(stream, {});
    for (qsizetype cut = 0; cut <= stream.size(); ++cut)
        QCOMPARE(parseInPieces(stream, {cut}), whole);
    QList<qsizetype> bytes;
    for (qsizetype i = 1; i < stream.size(); ++i)
        bytes << i;
    QCOMPARE(parseInPieces(stream, bytes), whole);
}

void TestSseParser::oversizedEvent()
{
    const QByteArray stream = "data: 0123456789abcdefghij\n\ndata: ok\n\n"_ba;
    SseParser parser(16);
    QList<SseEvent> events;
    for (qsizetype i = 0; i < stream.size(); i += 5)
        parser.feed(QByteArrayView(stream).sliced(i, qMin<qsizetype>(5, stream.size() - i)), events);
    parser.finish(events);
    QByteArray joined;
    int pieces = 0;
    for (const SseEvent &e : events) {
        joined += e.raw;
        QVERIFY(e.raw.size() <= 16 + 5); // never more than the cap plus one feed
        if (e.oversized) {
            ++pieces;
            QVERIFY(e.data.isEmpty());
            QVERIFY(!e.hasData);
        }
    }
    QCOMPARE(joined, stream);
    QVERIFY(pieces >= 2);
    QVERIFY(events.at(pieces - 1).complete); // the oversized block's last piece ends it
    QVERIFY(!events.at(0).complete);
    // Parsing resumes after the oversized block.
    QCOMPARE(events.last().data, "ok"_ba);
    QVERIFY(events.last().complete);
    QVERIFY(!events.last().oversized);
}

void TestSseParser::oversizedWithoutRaw()
{
    SseParser parser(16, false);
    QList<SseEvent> events;
    parser.feed("data: 0123456789abcdefghij\n"_ba, events);
    QVERIFY(events.isEmpty());
    parser.feed("\ndata: ok\n\n"_ba, events);
    QCOMPARE(events.size(), 2);
    QVERIFY(events.at(0).oversized);
    QVERIFY(events.at(0).raw.isEmpty());
    QCOMPARE(events.at(1).data, "ok"_ba);
}

void TestSseParser::keepRawOff()
{
    SseParser parser(SseParser::kDefaultMaxEventSize, false);
    QList<SseEvent> events;
    parser.feed("event: e\ndata: x\n\n"_ba, events);
    QCOMPARE(events.size(), 1);
    QVERIFY(events.at(0).raw.isEmpty());
    QCOMPARE(events.at(0).dataOffset, qsizetype(-1));
    QCOMPARE(events.at(0).event, "e"_ba);
    QCOMPARE(events.at(0).data, "x"_ba);
}

#endif // Q_MOC_RUN

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
