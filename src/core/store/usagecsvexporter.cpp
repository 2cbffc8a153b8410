// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "usagecsvexporter.h"

#include <limits>

#include <QDateTime>
#include <QFileInfo>
#include <QHash>
#include <QIODevice>
#include <QSqlError>
#include <QSqlQuery>

#include "database.h"
#include "schema.h"

namespace sy::store {

namespace {

constexpr qsizetype kFlushBytes = 256 * 1024;

void appendNumber(QByteArray &line, qint64 value)
{
    char digits[24];
    char *end = digits + sizeof digits;
    char *p = end;
    const bool negative = value < 0;
    quint64 v = negative ? quint64(0) - quint64(value) : quint64(value);
    do {
        *--p = char('0' + v % 10);
        v /= 10;
    } while (v);
    if (negative)
        *--p = '-';
    line.append(p, end - p);
}

void appendPadded(QByteArray &line, int value, int width)
{
    char digits[8];
    for (int i = width - 1; i >= 0; --i) {
        digits[i] = char('0' + value % 10);
        value /= 10;
    }
    line.append(digits, width);
}

} // namespace

UsageCsvExporter::UsageCsvExporter(QString dataDir) : m_dataDir(std::move(dataDir)) { }

void UsageCsvExporter::setRange(std::optional<qint64> fromMs, std::optional<qint64> toMs)
{
    m_fromMs = fromMs;
    m_toMs = toMs;
}

QByteArray UsageCsvExporter::header()
{
    return QByteArrayLiteral("timestamp,client,provider,model,endpoint,status,streamed,latency_ms,ttfb_ms,"
                             "input_tokens,output_tokens,cached_input_tokens,cost_usd\r\n");
}

void UsageCsvExporter::appendField(QByteArray &line, const QByteArray &text)
{
    // Spreadsheets run a cell that starts like a formula (CSV injection): a model or client
    // name such as "=HYPERLINK(...)" must stay text, so it gets a leading apostrophe
    // (OWASP's advice). Numbers never pass through here.
    const bool formulaLike = !text.isEmpty() && QByteArrayView("=+-@\t\r").contains(text.front());
    const QByteArray utf8 = formulaLike ? '\'' + text : text;
    bool quote = false;
    for (const char c : utf8) {
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            quote = true;
            break;
        }
    }
    if (!quote) {
        line += utf8;
        return;
    }
    line += '"';
    for (const char c : utf8) {
        if (c == '"')
            line += '"';
        line += c;
    }
    line += '"';
}

void UsageCsvExporter::appendTimestamp(QByteArray &line, qint64 ms)
{
    // Civil date from days since the epoch (H. Hinnant's algorithm): QDateTime per row
    // would cost more than the rest of the export.
    qint64 days = ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
    qint64 rest = ms - days * 86'400'000;
    days += 719'468;
    const qint64 era = (days >= 0 ? days : days - 146'096) / 146'097;
    const qint64 doe = days - era * 146'097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const int day = int(doy - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    appendPadded(line, int(year), 4);
    line += '-';
    appendPadded(line, month, 2);
    line += '-';
    appendPadded(line, day, 2);
    line += 'T';
    appendPadded(line, int(rest / 3'600'000), 2);
    rest %= 3'600'000;
    line += ':';
    appendPadded(line, int(rest / 60'000), 2);
    rest %= 60'000;
    line += ':';
    appendPadded(line, int(rest / 1000), 2);
    line += '.';
    appendPadded(line, int(rest % 1000), 3);
    line += 'Z';
}

void UsageCsvExporter::appendMicroUsd(QByteArray &line, qint64 microUsd)
{
    if (microUsd < 0) {
        line += '-';
        microUsd = -microUsd;
    }
    appendNumber(line, microUsd / 1'000'000);
    line += '.';
    appendPadded(line, int(microUsd % 1'000'000), 6);
}

Result<qint64> UsageCsvExporter::parseBound(const QString &text, Bound bound)
{
    const QString trimmed = text.trimmed();
    const QDate date = QDate::fromString(trimmed, Qt::ISODate);
    if (date.isValid() && trimmed.size() == 10) {
        const QDate day = bound == Bound::To ? date.addDays(1) : date; // --to DATE includes that day
        return QDateTime(day, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    }
    QDateTime time = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    if (!time.isValid())
        return Result<qint64>::failure(
            QStringLiteral("'%1' is neither a date (YYYY-MM-DD) nor an ISO-8601 timestamp").arg(trimmed));
    if (time.timeSpec() == Qt::LocalTime)
        time.setTimeSpec(Qt::UTC); // no zone given: the export is in UTC, so is the bound
    // An upper timestamp is inclusive: include the request that started at that instant.
    return time.toMSecsSinceEpoch() + (bound == Bound::To ? 1 : 0);
}

void UsageCsvExporter::setProgress(Progress progress, qint64 everyRows)
{
    m_progress = std::move(progress);
    m_progressEvery = qMax<qint64>(1, everyRows);
}

Result<qint64> UsageCsvExporter::write(QIODevice &out)
{
    const QString path = Database::filePath(m_dataDir);
    if (!QFileInfo::exists(path))
        return Result<qint64>::failure(QStringLiteral("no usage database in %1").arg(m_dataDir));
    Database database(path, QStringLiteral("export"), Database::Mode::ReadOnly);
    if (Status status = database.open(); !status)
        return Result<qint64>::failure(status.error());

    // Labels are few: load them once, already CSV-escaped.
    QHash<qint64, QByteArray> labels;
    QSqlQuery query(database.db());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT id, value FROM labels")))
        return Result<qint64>::failure(Database::describe(query.lastError()));
    while (query.next()) {
        QByteArray field;
        appendField(field, query.value(1).toString().toUtf8());
        labels.insert(query.value(0).toLongLong(), field);
    }

    const qint64 from = m_fromMs.value_or(std::numeric_limits<qint64>::min());
    const qint64 to = m_toMs.value_or(std::numeric_limits<qint64>::max());
    qint64 total = 0;
    if (m_progress) {
        // The time index makes this a range count, a small fraction of the export itself.
        query.prepare(QStringLiteral("SELECT COUNT(*) FROM requests WHERE ts_ms >= ? AND ts_ms < ?"));
        query.addBindValue(from);
        query.addBindValue(to);
        if (!query.exec() || !query.next())
            return Result<qint64>::failure(Database::describe(query.lastError()));
        total = query.value(0).toLongLong();
        query.finish();
    }

    // One read transaction: the export is a consistent snapshot while the writer goes on.
    query.prepare(QStringLiteral("SELECT ts_ms, client_id, provider_id, model_id, endpoint_id, status, streamed,"
                                 " latency_ms, ttfb_ms, input_tokens, output_tokens, cached_input_tokens,"
                                 " cost_micro_usd FROM requests WHERE ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms, id"));
    query.addBindValue(from);
    query.addBindValue(to);
    if (!query.exec())
        return Result<qint64>::failure(Database::describe(query.lastError()));

    QByteArray buffer = header();
    buffer.reserve(kFlushBytes + 4096);
    qint64 rows = 0;
    // Unknown is NULL (tokens since schema 3) or -1 (time to first byte): an empty field.
    const auto optionalNumber = [&buffer](const QVariant &value) {
        if (!value.isNull() && value.toLongLong() >= 0)
            appendNumber(buffer, value.toLongLong());
    };
    while (query.next()) {
        appendTimestamp(buffer, query.value(0).toLongLong());
        for (int column = 1; column <= 4; ++column) {
            buffer += ',';
            buffer += labels.value(query.value(column).toLongLong());
        }
        buffer += ',';
        appendNumber(buffer, query.value(5).toLongLong());
        buffer += query.value(6).toInt() ? QByteArrayView(",true,") : QByteArrayView(",false,");
        appendNumber(buffer, query.value(7).toLongLong());
        buffer += ',';
        for (int column = 8; column <= 11; ++column) { // ttfb, input, output, cached input
            optionalNumber(query.value(column));
            buffer += ',';
        }
        const QVariant cost = query.value(12);
        if (!cost.isNull())
            appendMicroUsd(buffer, cost.toLongLong());
        buffer += "\r\n";
        ++rows;
        if (m_progress && rows % m_progressEvery == 0)
            m_progress(rows, qMax(rows, total)); // rows may have come in since the count
        if (buffer.size() >= kFlushBytes) {
            if (out.write(buffer) != buffer.size())
                return Result<qint64>::failure(QStringLiteral("writing the export: %1").arg(out.errorString()));
            buffer.resize(0);
        }
    }
    if (query.lastError().isValid())
        return Result<qint64>::failure(Database::describe(query.lastError()));
    if (out.write(buffer) != buffer.size())
        return Result<qint64>::failure(QStringLiteral("writing the export: %1").arg(out.errorString()));
    if (m_progress)
        m_progress(rows, rows);
    return rows;
}

} // namespace sy::store
