// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "sseparser.h"

namespace sy::providers {

namespace {

constexpr QByteArrayView kBom = "\xEF\xBB\xBF";

} // namespace

SseParser::SseParser(qsizetype maxEventSize, bool keepRaw) : m_maxEventSize(maxEventSize), m_keepRaw(keepRaw) { }

void SseParser::appendRaw(const char *bytes, qsizetype length)
{
    m_blockSize += length;
    if (m_keepRaw)
        m_raw.append(bytes, length);
    if (!m_oversized && m_blockSize > m_maxEventSize) {
        // Stop parsing this block: its fields could be anything up to the whole stream.
        m_oversized = true;
        m_line.clear();
        m_event.clear();
        m_data.clear();
        m_dataLines = 0;
    }
}

void SseParser::feed(QByteArrayView bytes, QList<SseEvent> &events)
{
    const char *d = bytes.data();
    const qsizetype n = bytes.size();
    if (n == 0)
        return;
    qsizetype i = 0;
    if (m_pendingCr) {
        m_pendingCr = false;
        if (d[0] == '\n') {
            appendRaw(d, 1);
            i = 1;
            m_lineStart = m_blockSize; // the next line starts after the whole CRLF
        }
        if (m_dispatchPending) {
            m_dispatchPending = false;
            dispatch(events);
        }
    }
    while (i < n) {
        qsizetype j = i;
        while (j < n && d[j] != '\n' && d[j] != '\r')
            ++j;
        m_lineLength += j - i;
        if (!m_oversized)
            m_line.append(d + i, j - i);
        appendRaw(d + i, j - i);
        if (j == n)
            break;
        qsizetype terminator = 1;
        bool crAtEnd = false;
        if (d[j] == '\r') {
            if (j + 1 < n)
                terminator = d[j + 1] == '\n' ? 2 : 1;
            else
                crAtEnd = true;
        }
        appendRaw(d + j, terminator);
        i = j + terminator;
        m_pendingCr = crAtEnd;
        endLine(events, crAtEnd);
    }
    if (m_oversized && !m_raw.isEmpty())
        emitPiece(events, false);
}

void SseParser::endLine(QList<SseEvent> &events, bool deferDispatch)
{
    qsizetype content = m_lineLength;
    if (m_streamStart) {
        m_streamStart = false;
        if (m_line.startsWith(kBom)) {
            m_line.remove(0, kBom.size());
            content -= kBom.size();
            m_lineStart += kBom.size();
        }
    }
    if (content == 0) {
        if (deferDispatch)
            m_dispatchPending = true;
        else
            dispatch(events);
    } else if (!m_oversized) {
        parseField();
    }
    m_line.clear();
    m_lineLength = 0;
    m_lineStart = m_blockSize;
}

void SseParser::parseField()
{
    const QByteArrayView line(m_line);
    if (line.front() == ':')
        return; // comment
    const qsizetype colon = line.indexOf(':');
    const QByteArrayView name = colon < 0 ? line : line.first(colon);
    qsizetype valueStart = colon < 0 ? line.size() : colon + 1;
    if (valueStart < line.size() && line[valueStart] == ' ')
        ++valueStart;
    const QByteArrayView value = line.sliced(valueStart);
    if (name == "data") {
        if (m_dataLines > 0)
            m_data += '\n';
        else
            m_dataOffset = m_lineStart + valueStart;
        m_data += value;
        ++m_dataLines;
    } else if (name == "event") {
        m_event = value.toByteArray();
    }
    // "id" and "retry" matter to a reconnecting client, not to us; the raw bytes keep them.
}

void SseParser::dispatch(QList<SseEvent> &events)
{
    if (m_oversized) {
        emitPiece(events, true);
        return;
    }
    SseEvent event;
    event.raw = std::move(m_raw);
    event.event = std::move(m_event);
    event.data = std::move(m_data);
    event.hasData = m_dataLines > 0;
    event.dataOffset = m_keepRaw && m_dataLines == 1 ? m_dataOffset : -1;
    events.append(std::move(event));
    resetBlock();
}

void SseParser::emitPiece(QList<SseEvent> &events, bool complete)
{
    SseEvent piece;
    piece.raw = std::move(m_raw);
    piece.complete = complete;
    piece.oversized = m_oversized;
    events.append(std::move(piece));
    m_raw = QByteArray();
    if (complete)
        resetBlock();
}

void SseParser::resetBlock()
{
    m_raw = QByteArray();
    m_event = QByteArray();
    m_data = QByteArray();
    m_dataLines = 0;
    m_dataOffset = -1;
    m_blockSize = 0;
    m_lineStart = 0;
    m_oversized = false;
}

void SseParser::finish(QList<SseEvent> &events)
{
    if (m_pendingCr) {
        m_pendingCr = false;
        if (m_dispatchPending) {
            m_dispatchPending = false;
            dispatch(events);
        }
    }
    if (m_blockSize > 0) {
        if (m_keepRaw && !m_raw.isEmpty())
            emitPiece(events, false);
        resetBlock();
    }
    m_line.clear();
    m_lineLength = 0;
    m_streamStart = true;
}

} // namespace sy::providers
