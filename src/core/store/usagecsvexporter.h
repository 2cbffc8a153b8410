// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <optional>

#include <QString>

#include "common/result.h"

class QIODevice;

namespace sy::store {

// Writes the per-request history as CSV (RFC 4180: comma-separated, CRLF line ends, fields
// with a comma, quote or line break quoted, quotes doubled), one row per request, oldest
// first, in constant memory: rows stream from a forward-only query through a small buffer.
// Header (the interface contract in DESIGN.md):
//   timestamp,client,provider,model,endpoint,status,streamed,latency_ms,ttfb_ms,
//   input_tokens,output_tokens,cached_input_tokens,cost_usd
// Timestamps are ISO-8601 UTC with milliseconds; cost_usd has six decimals and is empty
// when unknown, as are unknown token counts and a missing time to first byte.
// A text field that starts with = + - @, a tab or a carriage return gets a leading ' so
// that spreadsheets show it as text instead of running it as a formula.
class UsageCsvExporter
{
public:
    explicit UsageCsvExporter(QString dataDir);

    // Bounds in ms since the epoch, UTC; from inclusive, to exclusive.
    void setRange(std::optional<qint64> fromMs, std::optional<qint64> toMs);
    // Called with the rows written so far and the rows in the range (counted first), every
    // `everyRows` rows and once at the end; for a progress line on long exports.
    using Progress = std::function<void(qint64 written, qint64 total)>;
    void setProgress(Progress progress, qint64 everyRows = 65'536);
    // Returns the number of rows written.
    Result<qint64> write(QIODevice &out);

    // "2026-03-01" or an ISO-8601 timestamp ("2026-03-01T12:00:00Z", offsets allowed;
    // without a zone, UTC). A date as an upper bound means the end of that day.
    enum class Bound { From, To };
    static Result<qint64> parseBound(const QString &text, Bound bound);

    static QByteArray header();
    static void appendField(QByteArray &line, const QByteArray &text); // quoted if needed, never a formula
    static void appendTimestamp(QByteArray &line, qint64 msSinceEpoch);
    static void appendMicroUsd(QByteArray &line, qint64 microUsd);

private:
    QString m_dataDir;
    std::optional<qint64> m_fromMs;
    std::optional<qint64> m_toMs;
    Progress m_progress;
    qint64 m_progressEvery = 0;
};

} // namespace sy::store
