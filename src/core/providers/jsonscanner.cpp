// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "jsonscanner.h"

#include <array>

namespace sy::providers {

namespace {

// Bytes a string may hold as they are: printable ASCII other than '"' and '\\'. The table
// keeps the inner loop to one load and one branch per byte.
constexpr std::array<bool, 256> makePlainTable()
{
    std::array<bool, 256> table {};
    for (int c = 0x20; c < 0x80; ++c)
        table[c] = c != '"' && c != '\\';
    return table;
}
constexpr std::array<bool, 256> kPlain = makePlainTable();

inline bool isWhitespace(uchar c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

inline bool isDigit(uchar c)
{
    return c >= '0' && c <= '9';
}

inline int hexValue(uchar c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

inline bool isContinuation(uchar c)
{
    return (c & 0xC0) == 0x80;
}

// Length of the well-formed UTF-8 sequence at `p` (Unicode table 3-7), 0 if ill-formed.
qsizetype utf8SequenceLength(const uchar *p, qsizetype available)
{
    const uchar c = p[0];
    qsizetype length;
    uchar low = 0x80;
    uchar high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        if (c == 0xE0)
            low = 0xA0;
        else if (c == 0xED)
            high = 0x9F; // UTF-8-encoded surrogates are not UTF-8
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        if (c == 0xF0)
            low = 0x90;
        else if (c == 0xF4)
            high = 0x8F; // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (available < length || p[1] < low || p[1] > high)
        return 0;
    for (qsizetype i = 2; i < length; ++i) {
        if (!isContinuation(p[i]))
            return 0;
    }
    return length;
}

int readHex4(const char *p)
{
    int value = 0;
    for (int i = 0; i < 4; ++i)
        value = value * 16 + hexValue(uchar(p[i]));
    return value;
}

void appendUtf8(QByteArray &out, char32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

} // namespace

qsizetype JsonScanner::fail(qsizetype pos, Error error)
{
    // Keep the first failure: callers unwind through several levels.
    if (m_error == Error::None) {
        m_error = error;
        m_errorOffset = pos;
    }
    return -1;
}

qsizetype JsonScanner::whitespace(qsizetype pos) const
{
    while (pos < m_size && isWhitespace(uchar(m_data[pos])))
        ++pos;
    return pos;
}

qsizetype JsonScanner::skipWhitespace(QByteArrayView text, qsizetype pos)
{
    while (pos < text.size() && isWhitespace(uchar(text[pos])))
        ++pos;
    return pos;
}

qsizetype JsonScanner::scanValue(qsizetype pos)
{
    m_error = Error::None;
    m_errorOffset = -1;
    return value(pos, 0);
}

qsizetype JsonScanner::scanObject(qsizetype pos, JsonMembers *members)
{
    m_error = Error::None;
    m_errorOffset = -1;
    if (pos >= m_size || m_data[pos] != '{')
        return fail(pos);
    return object(pos, 1, members);
}

bool JsonScanner::scanDocument()
{
    m_error = Error::None;
    m_errorOffset = -1;
    const qsizetype end = value(whitespace(0), 0);
    if (end < 0)
        return false;
    const qsizetype rest = whitespace(end);
    if (rest != m_size) {
        fail(rest);
        return false;
    }
    return true;
}

qsizetype JsonScanner::value(qsizetype pos, int depth)
{
    if (pos >= m_size)
        return fail(pos);
    switch (m_data[pos]) {
    case '{':
        return object(pos, depth + 1, nullptr);
    case '[':
        return array(pos, depth + 1);
    case '"':
        return string(pos);
    case 't':
        return literal(pos, "true");
    case 'f':
        return literal(pos, "false");
    case 'n':
        return literal(pos, "null");
    default:
        return number(pos);
    }
}

qsizetype JsonScanner::object(qsizetype pos, int depth, JsonMembers *members)
{
    if (depth > kMaxDepth)
        return fail(pos, Error::TooDeep);
    pos = whitespace(pos + 1);
    if (pos < m_size && m_data[pos] == '}')
        return pos + 1;
    for (;;) {
        if (pos >= m_size || m_data[pos] != '"')
            return fail(pos);
        JsonMember member;
        member.keyStart = pos;
        pos = string(pos);
        if (pos < 0)
            return -1;
        member.keyEnd = pos;
        member.keyEscaped = m_sawEscape;
        pos = whitespace(pos);
        if (pos >= m_size || m_data[pos] != ':')
            return fail(pos);
        pos = whitespace(pos + 1);
        member.valueStart = pos;
        pos = value(pos, depth);
        if (pos < 0)
            return -1;
        member.valueEnd = pos;
        if (members)
            members->append(member);
        pos = whitespace(pos);
        if (pos >= m_size)
            return fail(pos);
        if (m_data[pos] == '}')
            return pos + 1;
        if (m_data[pos] != ',')
            return fail(pos);
        pos = whitespace(pos + 1); // a '}' here (trailing comma) fails the '"' check above
    }
}

qsizetype JsonScanner::array(qsizetype pos, int depth)
{
    if (depth > kMaxDepth)
        return fail(pos, Error::TooDeep);
    pos = whitespace(pos + 1);
    if (pos < m_size && m_data[pos] == ']')
        return pos + 1;
    for (;;) {
        pos = value(pos, depth);
        if (pos < 0)
            return -1;
        pos = whitespace(pos);
        if (pos >= m_size)
            return fail(pos);
        if (m_data[pos] == ']')
            return pos + 1;
        if (m_data[pos] != ',')
            return fail(pos);
        pos = whitespace(pos + 1);
        if (pos < m_size && m_data[pos] == ']')
            return fail(pos); // trailing comma
    }
}

qsizetype JsonScanner::string(qsizetype pos)
{
    const auto *d = reinterpret_cast<const uchar *>(m_data);
    m_sawEscape = false;
    ++pos; // opening quote
    for (;;) {
        while (pos < m_size && kPlain[d[pos]])
            ++pos;
        if (pos >= m_size)
            return fail(pos);
        const uchar c = d[pos];
        if (c == '"')
            return pos + 1;
        if (c == '\\') {
            m_sawEscape = true;
            if (pos + 1 >= m_size)
                return fail(pos + 1);
            switch (d[pos + 1]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                pos += 2;
                break;
            case 'u':
                for (qsizetype i = pos + 2; i < pos + 6; ++i) {
                    if (i >= m_size || hexValue(d[i]) < 0)
                        return fail(i);
                }
                pos += 6;
                break;
            default:
                return fail(pos + 1);
            }
            continue;
        }
        if (c < 0x20)
            return fail(pos); // raw control characters must be escaped
        const qsizetype length = utf8SequenceLength(d + pos, m_size - pos);
        if (length == 0)
            return fail(pos);
        pos += length;
    }
}

qsizetype JsonScanner::number(qsizetype pos)
{
    const auto *d = reinterpret_cast<const uchar *>(m_data);
    if (pos < m_size && d[pos] == '-')
        ++pos;
    if (pos >= m_size || !isDigit(d[pos]))
        return fail(pos);
    if (d[pos] == '0') {
        ++pos; // no leading zeros: "01" stops here and fails at the caller
    } else {
        while (pos < m_size && isDigit(d[pos]))
            ++pos;
    }
    if (pos < m_size && d[pos] == '.') {
        ++pos;
        if (pos >= m_size || !isDigit(d[pos]))
            return fail(pos);
        while (pos < m_size && isDigit(d[pos]))
            ++pos;
    }
    if (pos < m_size && (d[pos] == 'e' || d[pos] == 'E')) {
        ++pos;
        if (pos < m_size && (d[pos] == '+' || d[pos] == '-'))
            ++pos;
        if (pos >= m_size || !isDigit(d[pos]))
            return fail(pos);
        while (pos < m_size && isDigit(d[pos]))
            ++pos;
    }
    return pos;
}

qsizetype JsonScanner::literal(qsizetype pos, QByteArrayView word)
{
    for (qsizetype i = 0; i < word.size(); ++i) {
        if (pos + i >= m_size || m_data[pos + i] != word[i])
            return fail(pos + i);
    }
    return pos + word.size();
}

QByteArray JsonScanner::decodeStringUtf8(QByteArrayView token)
{
    // Drop the quotes; the fast path is a string without escapes.
    const QByteArrayView inner = token.sliced(1, token.size() - 2);
    const qsizetype firstEscape = inner.indexOf('\\');
    if (firstEscape < 0)
        return inner.toByteArray();
    QByteArray out;
    out.reserve(inner.size());
    out.append(inner.first(firstEscape));
    qsizetype i = firstEscape;
    while (i < inner.size()) {
        const char c = inner[i];
        if (c != '\\') {
            out += c;
            ++i;
            continue;
        }
        const char e = inner[i + 1];
        i += 2;
        switch (e) {
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'u': {
            char32_t cp = char32_t(readHex4(inner.data() + i));
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                // A high surrogate pairs only with an escaped low surrogate right after it.
                if (i + 6 <= inner.size() && inner[i] == '\\' && inner[i + 1] == 'u') {
                    const char32_t low = char32_t(readHex4(inner.data() + i + 2));
                    if (low >= 0xDC00 && low <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        i += 6;
                    } else {
                        cp = 0xFFFD;
                    }
                } else {
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            appendUtf8(out, cp);
            break;
        }
        default: // '"', '\\', '/'
            out += e;
            break;
        }
    }
    return out;
}

QString JsonScanner::decodeString(QByteArrayView token)
{
    return QString::fromUtf8(decodeStringUtf8(token));
}

bool JsonScanner::keyEquals(QByteArrayView text, const JsonMember &member, QByteArrayView key)
{
    const QByteArrayView token = text.sliced(member.keyStart, member.keyEnd - member.keyStart);
    if (!member.keyEscaped)
        return token.sliced(1, token.size() - 2) == key;
    return decodeStringUtf8(token) == key;
}

qsizetype JsonScanner::findLast(QByteArrayView text, const JsonMembers &members, QByteArrayView key)
{
    for (qsizetype i = members.size() - 1; i >= 0; --i) {
        if (keyEquals(text, members[i], key))
            return i;
    }
    return -1;
}

void JsonScanner::appendQuoted(QByteArray &out, QStringView value)
{
    appendQuoted(out, QByteArrayView(value.toUtf8()));
}

void JsonScanner::appendQuoted(QByteArray &out, QByteArrayView utf8)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out.reserve(out.size() + utf8.size() + 2);
    out += '"';
    for (const char ch : utf8) {
        const auto c = uchar(ch);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += kHex[c >> 4];
                out += kHex[c & 0xF];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

} // namespace sy::providers
