// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include "common/result.h"
#include "providers/jsonscanner.h"

namespace sy::providers {

// A request body exactly as the client sent it: validated once, its top-level members
// located by byte span, and edited in place. Nothing is ever re-serialised: key order,
// whitespace, number spellings and cache_control markers all survive byte for byte,
// because Anthropic prompt caching (and the client's own expectations) depend on it.
//
// Duplicate top-level keys: reads see the last occurrence, as the providers' JSON parsers
// do. Edits rewrite every occurrence, so a first-wins upstream parser cannot read a value
// the gateway did not check (e.g. a second "model").
class JsonBody
{
public:
    // Fails when `body` is not RFC 8259 JSON (see JsonScanner for the strictness) or not
    // a top-level object. Messages give a byte offset (counted from 0), never body bytes.
    static Result<JsonBody> parse(QByteArray body);

    const QByteArray &bytes() const { return m_bytes; }

    bool has(QByteArrayView key) const;
    // The decoded value (escapes and surrogate pairs resolved; a lone escaped surrogate
    // becomes U+FFFD); a null QString when the key is absent or its value not a string.
    QString string(QByteArrayView key) const;
    std::optional<bool> boolean(QByteArrayView key) const;

    // Replaces the value's bytes with `value` as a JSON string. If the key is absent the
    // member is appended after the last one (or inside an empty object). Every other byte
    // stays as it was.
    void setString(QByteArrayView key, QStringView value);

    // For OpenAI chat/completions streaming: make the upstream report usage. Call it only
    // for requests with "stream": true.
    //   "stream_options" absent or null  -> set to {"include_usage":true}
    //   an object without include_usage  -> the member is inserted
    //   include_usage anything but true  -> set to true
    //   any other stream_options value   -> left alone: the upstream rejects it, as it
    //                                       would have without the gateway
    // Returns true iff the body changed, i.e. the client did not ask for usage and the
    // gateway must hide the extra usage chunk (ResponseTap's hideInjectedUsage).
    bool ensureStreamIncludeUsage();

private:
    JsonBody() = default;
    // Replaces [pos, pos + length) with `bytes` and moves every recorded offset behind it.
    void replace(qsizetype pos, qsizetype length, QByteArrayView bytes);
    // Appends `"key":rawValue` as the object's last member.
    void appendMember(QByteArrayView key, QByteArrayView rawValue);
    QByteArrayView valueOf(qsizetype index) const;

    QByteArray m_bytes;
    JsonMembers m_members; // top-level members in document order
    qsizetype m_open = 0; // the top-level '{'
    qsizetype m_close = 0; // the top-level '}'
};

} // namespace sy::providers
