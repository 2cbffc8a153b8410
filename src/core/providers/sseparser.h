// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include "providers/sseevent.h"

namespace sy::providers {

// An incremental Server-Sent-Events splitter following the WHATWG parsing rules: lines
// end in CRLF, LF or CR; a blank line ends a block; ':' starts a comment; the first ':'
// splits field name from value and one following space is dropped; "data" values are
// joined with "\n"; a leading UTF-8 BOM is ignored. Bytes may arrive split anywhere,
// including between the CR and LF of one line ending.
//
// Each block is reported with its exact bytes (see SseEvent), so filters can forward
// untouched blocks byte for byte. A block is held until complete, but never more than
// `maxEventSize` bytes: beyond that its bytes are handed out as they arrive (oversized
// pieces, unparsed) until its blank line, and parsing resumes after it.
//
// A block that ends in a lone CR exactly at the end of a feed is held back until the
// next byte shows whether an LF follows: that LF belongs to the same block.
class SseParser
{
public:
    static constexpr qsizetype kDefaultMaxEventSize = 8 * 1024 * 1024;

    // keepRaw false: SseEvent::raw stays empty and dataOffset -1 (for readers that
    // only need the fields; saves a copy of the stream).
    explicit SseParser(qsizetype maxEventSize = kDefaultMaxEventSize, bool keepRaw = true);

    // Appends the blocks `bytes` completes (and, for an oversized block, its bytes so far).
    void feed(QByteArrayView bytes, QList<SseEvent> &events);
    // End of stream: reports a held block and any unterminated rest (complete = false;
    // the spec discards an unterminated block, so its fields are not parsed).
    void finish(QList<SseEvent> &events);

private:
    void appendRaw(const char *bytes, qsizetype length);
    void endLine(QList<SseEvent> &events, bool deferDispatch);
    void parseField();
    void dispatch(QList<SseEvent> &events);
    void emitPiece(QList<SseEvent> &events, bool complete);
    void resetBlock();

    qsizetype m_maxEventSize;
    bool m_keepRaw;
    QByteArray m_raw; // the current block's bytes not yet handed out
    qsizetype m_blockSize = 0; // bytes of the current block, including pieces handed out
    QByteArray m_line; // the current line's content (not kept once oversized)
    qsizetype m_lineLength = 0;
    qsizetype m_lineStart = 0; // offset of the current line within the block
    QByteArray m_event;
    QByteArray m_data;
    int m_dataLines = 0;
    qsizetype m_dataOffset = -1;
    bool m_oversized = false;
    bool m_pendingCr = false; // the last byte seen was a CR ending a line
    bool m_dispatchPending = false; // ... and that line was the block's blank line
    bool m_streamStart = true; // the first line may start with a BOM
};

} // namespace sy::providers
