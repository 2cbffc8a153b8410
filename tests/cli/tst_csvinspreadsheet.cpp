// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The CSV of export-usage opened by LibreOffice Calc: every cell must come out as the value
// it stands for (names with commas, quotes, line breaks and non-ASCII as text; numbers as
// numbers; unknowns empty), and a name that looks like a formula must stay text.
// LibreOffice converts the CSV headless to a flat ODS file, whose cells are read back here.
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include "commandrun.h"
#include "store/metricsstore.h"
#include "store/usagecsvexporter.h"

using namespace sy;

namespace {

struct Cell
{
    QString type; // office:value-type: "string", "float", "boolean"; empty for an empty cell
    QString value; // office:value or office:boolean-value
    QString text; // the paragraphs, joined by line breaks
};
using Sheet = QList<QList<Cell>>;

// Reads the first sheet of a flat ODS document (.fods).
Sheet readSheet(QIODevice &fods)
{
    const QString table = QStringLiteral("urn:oasis:names:tc:opendocument:xmlns:table:1.0");
    const QString office = QStringLiteral("urn:oasis:names:tc:opendocument:xmlns:office:1.0");
    const QString text = QStringLiteral("urn:oasis:names:tc:opendocument:xmlns:text:1.0");
    Sheet sheet;
    Cell cell;
    int repeat = 1;
    int paragraphs = 0;
    bool inParagraph = false; // the document is indented: only text inside <text:p> counts
    QXmlStreamReader xml(&fods);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            const auto ns = xml.namespaceUri();
            if (ns == table && name == u"table-row") {
                sheet.append(QList<Cell>());
            } else if (ns == table && name == u"table-cell") {
                const QXmlStreamAttributes attributes = xml.attributes();
                cell = {attributes.value(office, QStringLiteral("value-type")).toString(),
                        attributes.hasAttribute(office, QStringLiteral("boolean-value"))
                            ? attributes.value(office, QStringLiteral("boolean-value")).toString()
                            : attributes.value(office, QStringLiteral("value")).toString(),
                        {}};
                repeat = qMax(1, attributes.value(table, QStringLiteral("number-columns-repeated")).toInt());
                paragraphs = 0;
            } else if (ns == text && name == u"p") {
                if (paragraphs++ > 0)
                    cell.text += u'\n';
                inParagraph = true;
            } else if (ns == text && name == u"s") {
                cell.text += QString(qMax(1, xml.attributes().value(text, QStringLiteral("c")).toInt()), u' ');
            } else if (ns == text && name == u"tab") {
                cell.text += u'\t';
            } else if (ns == text && name == u"line-break") {
                cell.text += u'\n';
            }
        } else if (xml.isCharacters() && inParagraph) {
            cell.text += xml.text();
        } else if (xml.isEndElement() && xml.namespaceUri() == text && xml.name() == u"p") {
            inParagraph = false;
        } else if (xml.isEndElement() && xml.namespaceUri() == table && xml.name() == u"table-cell") {
            for (int i = 0; i < repeat && i < 64; ++i) // trailing empty cells can repeat far
                sheet.last().append(cell);
        } else if (xml.isEndElement() && xml.namespaceUri() == table && xml.name() == u"table") {
            break;
        }
    }
    return sheet;
}

UsageRecord record(int minute, const QString &client, const QString &model, qint64 costMicroUsd)
{
    UsageRecord r;
    r.startedAt = QDateTime(QDate(2026, 11, 20), QTime(9, minute, 7, 250), Qt::UTC);
    r.client = client;
    r.provider = QStringLiteral("openai");
    r.model = model;
    r.endpoint = QStringLiteral("/v1/chat/completions");
    r.status = minute % 2 ? 429 : 200;
    r.streamed = minute % 2 == 0;
    r.latencyMs = 1500 + minute;
    r.ttfbMs = minute % 2 ? -1 : 40;
    r.inputTokens = 1000 + minute;
    r.outputTokens = 7;
    r.cachedInputTokens = 3;
    r.costMicroUsd = costMicroUsd;
    return r;
}

// LibreOffice's "soffice", or empty.
QString soffice()
{
    for (const char *name : {"soffice", "libreoffice"}) {
        const QString path = QStandardPaths::findExecutable(QString::fromLatin1(name));
        if (!path.isEmpty())
            return path;
    }
    return {};
}

} // namespace

class TestCsvInSpreadsheet : public QObject
{
    Q_OBJECT

private slots:
    void opensInLibreOfficeCalc()
    {
        const QString office = soffice();
        if (office.isEmpty()) {
            if (qEnvironmentVariable("SWITCHYARD_TEST_TOOLS") == u"required")
                QFAIL("LibreOffice (soffice) is missing, but SWITCHYARD_TEST_TOOLS=required");
            QSKIP("LibreOffice (soffice) is not installed");
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());

        const QList<UsageRecord> records {
            record(0, QStringLiteral("agent, \"one\"\nline two"), QStringLiteral("gpt-4o-mini"), 1234),
            record(1, QStringLiteral("Łódź-ключ 客户"), QStringLiteral("local/llama"), -1),
            record(2, QStringLiteral("=HYPERLINK(\"http://example.com\",\"x\")"), QStringLiteral("=1+1"), 0),
            record(3, QStringLiteral("+cmd"), QStringLiteral("@SUM(A1)"), 12'000'000),
            record(4, QStringLiteral("-2+3"), QStringLiteral("\tleading tab"), 5),
        };
        {
            store::MetricsStore::Options options;
            options.dataDir = dir.path();
            options.retentionMonths = 1200;
            store::MetricsStore store(options);
            QVERIFY(store.open().ok());
            for (const UsageRecord &r : records)
                store.record(r);
            QVERIFY(store.flush(5000));
        }
        const QString csv = dir.filePath(QStringLiteral("usage.csv"));
        const testsupport::CommandRun exported
            = testsupport::runCommand({QStringLiteral("export-usage"), QStringLiteral("--data-dir"), dir.path(),
                                       QStringLiteral("--output"), csv});
        QCOMPARE(exported.code, 0);

        // What a user picks in Calc's Text Import dialog for this file: UTF-8 (76), comma
        // (44), double quote (34), from line 1. A private profile keeps parallel runs apart.
        QProcess convert;
        convert.setProcessChannelMode(QProcess::MergedChannels);
        convert.start(office,
                      {QStringLiteral("-env:UserInstallation=file://") + dir.filePath(QStringLiteral("profile")),
                       QStringLiteral("--headless"), QStringLiteral("--infilter=CSV:44,34,76,1"),
                       QStringLiteral("--convert-to"), QStringLiteral("fods"), QStringLiteral("--outdir"), dir.path(),
                       csv});
        QVERIFY2(convert.waitForFinished(120'000), "LibreOffice did not finish in 2 minutes");
        QVERIFY2(convert.exitCode() == 0, convert.readAll().constData());
        QFile fods(dir.filePath(QStringLiteral("usage.fods")));
        QVERIFY2(fods.open(QIODevice::ReadOnly), convert.readAll().constData());
        const Sheet sheet = readSheet(fods);

        QCOMPARE(sheet.size(), 1 + records.size());
        const QStringList header = QString::fromLatin1(store::UsageCsvExporter::header()).trimmed().split(u',');
        for (int column = 0; column < header.size(); ++column)
            QCOMPARE(sheet.at(0).value(column).text, header.at(column));

        const auto text = [](const QString &expected) { return Cell {QStringLiteral("string"), {}, expected}; };
        const auto number = [](double expected) {
            return Cell {QStringLiteral("float"), QString::number(expected, 'g', 17), {}};
        };
        const auto empty = Cell {};
        const auto boolean = [](bool expected) {
            return Cell {QStringLiteral("boolean"), expected ? QStringLiteral("true") : QStringLiteral("false"), {}};
        };
        const QList<QList<Cell>> expected {
            {text(QStringLiteral("2026-11-20T09:00:07.250Z")), text(records[0].client), text(QStringLiteral("openai")),
             text(QStringLiteral("gpt-4o-mini")), text(QStringLiteral("/v1/chat/completions")), number(200),
             boolean(true), number(1500), number(40), number(1000), number(7), number(3), number(0.001234)},
            // Unknown cost and no first byte: empty cells, not zero.
            {text(QStringLiteral("2026-11-20T09:01:07.250Z")), text(records[1].client), text(QStringLiteral("openai")),
             text(QStringLiteral("local/llama")), text(QStringLiteral("/v1/chat/completions")), number(429),
             boolean(false), number(1501), empty, number(1001), number(7), number(3), empty},
            // Names that start like formulas stay text, shown with the apostrophe that keeps them so.
            {text(QStringLiteral("2026-11-20T09:02:07.250Z")), text(u'\'' + records[2].client),
             text(QStringLiteral("openai")), text(QStringLiteral("'=1+1")),
             text(QStringLiteral("/v1/chat/completions")), number(200), boolean(true), number(1502), number(40),
             number(1002), number(7), number(3), number(0)},
            {text(QStringLiteral("2026-11-20T09:03:07.250Z")), text(QStringLiteral("'+cmd")),
             text(QStringLiteral("openai")), text(QStringLiteral("'@SUM(A1)")),
             text(QStringLiteral("/v1/chat/completions")), number(429), boolean(false), number(1503), empty,
             number(1003), number(7), number(3), number(12)},
            {text(QStringLiteral("2026-11-20T09:04:07.250Z")), text(QStringLiteral("'-2+3")),
             text(QStringLiteral("openai")), text(QStringLiteral("'\tleading tab")),
             text(QStringLiteral("/v1/chat/completions")), number(200), boolean(true), number(1504), number(40),
             number(1004), number(7), number(3), number(0.000005)},
        };
        for (int row = 0; row < expected.size(); ++row) {
            for (int column = 0; column < header.size(); ++column) {
                const Cell want = expected[row][column];
                const Cell got = sheet.at(row + 1).value(column);
                const QByteArray where = QStringLiteral("row %1, %2: got %3 \"%4\" (%5)")
                                             .arg(row + 1)
                                             .arg(header.at(column), got.type, got.text, got.value)
                                             .toUtf8();
                QVERIFY2(got.type == want.type, where.constData());
                if (want.type == u"string")
                    QVERIFY2(got.text == want.text, where.constData());
                else if (want.type == u"float")
                    QVERIFY2(got.value.toDouble() == want.value.toDouble(), where.constData());
                else if (want.type == u"boolean")
                    QVERIFY2(got.value == want.value, where.constData());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCsvInSpreadsheet)
#include "tst_csvinspreadsheet.moc"
