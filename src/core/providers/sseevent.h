// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

namespace sy::providers {

// One block of a Server-Sent-Events stream as SseParser reports it: the exact bytes, so
// a filter can forward it unchanged, and the fields it carries.
struct SseEvent
{
    // The block's bytes exactly as received, its terminating blank line included. The
    // concatenation of every reported `raw`, in order, is the whole stream.
    QByteArray raw;
    QByteArray event; // the last "event:" field's value; empty when there was none
    QByteArray data; // the "data:" values joined with "\n" (no trailing "\n")
    // Where `data` starts inside `raw` when it came from exactly one "data:" line (then
    // `data` is a contiguous slice of `raw`); -1 otherwise.
    qsizetype dataOffset = -1;
    // The block had at least one "data:" field: per the WHATWG spec it is dispatched as
    // an event. Blocks of only comments (keep-alives), ids or retries are not, but are
    // still reported so their bytes can be forwarded.
    bool hasData = false;
    // Ended by a blank line. False for a piece of an oversized block and for bytes left
    // unterminated at the end of the stream; their fields are not parsed.
    bool complete = true;
    // The block outgrew the parser's cap: it arrives in pieces, raw bytes only.
    bool oversized = false;
};

} // namespace sy::providers
