// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "jsonview.h"

#include <charconv>

namespace sy::translate {

using providers::JsonScanner;

JsonView::JsonView(QByteArrayView raw) : m_raw(raw)
{
    // The text was validated as a whole: this scan of a part of it cannot fail.
    if (isObject())
        JsonScanner(m_raw).scanObject(0, &m_members);
}

JsonView JsonView::parse(QByteArrayView text)
{
    const qsizetype start = JsonScanner::skipWhitespace(text, 0);
    if (start >= text.size())
        return {};
    JsonScanner scanner(text);
    const qsizetype end = scanner.scanValue(start);
    if (end < 0 || JsonScanner::skipWhitespace(text, end) != text.size())
        return {};
    return JsonView(text.sliced(start, end - start));
}

JsonView JsonView::member(QByteArrayView key) const
{
    if (!isObject())
        return {};
    const qsizetype index = JsonScanner::findLast(m_raw, m_members, key);
    if (index < 0)
        return {};
    const providers::JsonMember &m = m_members[index];
    return JsonView(m_raw.sliced(m.valueStart, m.valueEnd - m.valueStart));
}

QList<JsonView> JsonView::elements() const
{
    QList<JsonView> out;
    if (!isArray())
        return out;
    JsonScanner scanner(m_raw);
    qsizetype pos = JsonScanner::skipWhitespace(m_raw, 1);
    while (pos < m_raw.size() && m_raw[pos] != ']') {
        const qsizetype end = scanner.scanValue(pos);
        if (end < 0)
            break;
        out.append(JsonView(m_raw.sliced(pos, end - pos)));
        pos = JsonScanner::skipWhitespace(m_raw, end);
        if (pos < m_raw.size() && m_raw[pos] == ',')
            pos = JsonScanner::skipWhitespace(m_raw, pos + 1);
    }
    return out;
}

QByteArray JsonView::utf8() const
{
    return isString() ? JsonScanner::decodeStringUtf8(m_raw) : QByteArray();
}

std::optional<qint64> JsonView::integer() const
{
    qint64 n = 0;
    const auto [end, error] = std::from_chars(m_raw.data(), m_raw.data() + m_raw.size(), n);
    if (isNull() || error != std::errc() || end != m_raw.data() + m_raw.size())
        return std::nullopt;
    return n;
}

} // namespace sy::translate
