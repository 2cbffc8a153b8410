// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>
#include <QVarLengthArray>

namespace sy::providers {

// One member of a JSON object, located by byte offsets into the scanned text.
struct JsonMember
{
    qsizetype keyStart = 0; // the key's opening quote
    qsizetype keyEnd = 0; // one past the key's closing quote
    qsizetype valueStart = 0; // first byte of the value
    qsizetype valueEnd = 0; // one past the value's last byte
    bool keyEscaped = false; // the key holds a backslash escape: compare it decoded
};
using JsonMembers = QVarLengthArray<JsonMember, 16>;

// A strict RFC 8259 validator that also locates object members, for the request and
// response bytes the gateway must inspect but never re-serialise. One pass, no
// allocation per token, no DOM: it runs on every request.
//
// Strictness: no trailing commas, no comments, no leading zeros, no control characters or
// invalid UTF-8 (overlongs, UTF-8-encoded surrogates, > U+10FFFF) inside strings, no
// byte order mark. Escaped lone surrogates (\uD800) are accepted, as RFC 8259 section 8.2
// and most parsers allow; decodeString() turns them into U+FFFD. Nesting deeper than
// kMaxDepth arrays/objects is an error, never a stack overflow.
class JsonScanner
{
public:
    static constexpr int kMaxDepth = 128;
    enum class Error { None, Syntax, TooDeep };

    explicit JsonScanner(QByteArrayView text) : m_data(text.data()), m_size(text.size()) { }

    // Validates the value starting at `pos` (no leading whitespace). Returns the offset
    // one past it, or -1 with error() and errorOffset() set.
    qsizetype scanValue(qsizetype pos);
    // Validates the object starting at `pos` (which must be '{') and, when `members` is
    // given, appends its direct members in document order. Returns one past its '}' or -1.
    qsizetype scanObject(qsizetype pos, JsonMembers *members);
    // Validates that the whole text is one JSON value surrounded by optional whitespace.
    bool scanDocument();

    Error error() const { return m_error; }
    qsizetype errorOffset() const { return m_errorOffset; }

    static qsizetype skipWhitespace(QByteArrayView text, qsizetype pos);

    // Decodes a valid JSON string token (quotes included) to UTF-8 / UTF-16.
    static QByteArray decodeStringUtf8(QByteArrayView token);
    static QString decodeString(QByteArrayView token);
    // Does the member's key, decoded, equal `key`?
    static bool keyEquals(QByteArrayView text, const JsonMember &member, QByteArrayView key);
    // Index of the last member named `key`, or -1 (duplicate keys: the last one wins, as
    // in the parsers the providers run).
    static qsizetype findLast(QByteArrayView text, const JsonMembers &members, QByteArrayView key);

    // Appends `value` as a JSON string token: quotes, \" \\ and control characters
    // escaped, everything else as UTF-8.
    static void appendQuoted(QByteArray &out, QStringView value);
    static void appendQuoted(QByteArray &out, QByteArrayView utf8);

private:
    qsizetype value(qsizetype pos, int depth);
    qsizetype object(qsizetype pos, int depth, JsonMembers *members);
    qsizetype array(qsizetype pos, int depth);
    qsizetype string(qsizetype pos);
    qsizetype number(qsizetype pos);
    qsizetype literal(qsizetype pos, QByteArrayView word);
    qsizetype whitespace(qsizetype pos) const;
    qsizetype fail(qsizetype pos, Error error = Error::Syntax);

    const char *m_data;
    qsizetype m_size;
    Error m_error = Error::None;
    qsizetype m_errorOffset = -1;
    bool m_sawEscape = false; // set by string(): the last string held a backslash
};

} // namespace sy::providers
