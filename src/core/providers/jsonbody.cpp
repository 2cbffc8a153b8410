// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "jsonbody.h"

namespace sy::providers {

namespace {

constexpr QByteArrayView kIncludeUsageObject = R"({"include_usage":true})";

QString invalidJson(qsizetype offset)
{
    return QStringLiteral("request body is not valid JSON (byte %1)").arg(offset);
}

} // namespace

Result<JsonBody> JsonBody::parse(QByteArray body)
{
    JsonScanner scanner(body);
    const qsizetype start = JsonScanner::skipWhitespace(body, 0);
    if (start >= body.size())
        return Result<JsonBody>::failure(QStringLiteral("request body is empty"));

    JsonBody parsed;
    qsizetype end;
    if (body[start] == '{')
        end = scanner.scanObject(start, &parsed.m_members);
    else
        end = scanner.scanValue(start);
    if (end < 0) {
        if (scanner.error() == JsonScanner::Error::TooDeep) {
            return Result<JsonBody>::failure(QStringLiteral("request body nests deeper than %1 levels (byte %2)")
                                                 .arg(JsonScanner::kMaxDepth)
                                                 .arg(scanner.errorOffset()));
        }
        return Result<JsonBody>::failure(invalidJson(scanner.errorOffset()));
    }
    const qsizetype rest = JsonScanner::skipWhitespace(body, end);
    if (rest != body.size())
        return Result<JsonBody>::failure(invalidJson(rest));
    if (body[start] != '{')
        return Result<JsonBody>::failure(QStringLiteral("request body is not a JSON object"));

    parsed.m_open = start;
    parsed.m_close = end - 1;
    parsed.m_bytes = std::move(body);
    return parsed;
}

QByteArrayView JsonBody::valueOf(qsizetype index) const
{
    const JsonMember &m = m_members[index];
    return QByteArrayView(m_bytes).sliced(m.valueStart, m.valueEnd - m.valueStart);
}

bool JsonBody::has(QByteArrayView key) const
{
    return JsonScanner::findLast(m_bytes, m_members, key) >= 0;
}

QString JsonBody::string(QByteArrayView key) const
{
    const qsizetype index = JsonScanner::findLast(m_bytes, m_members, key);
    if (index < 0)
        return {};
    const QByteArrayView value = valueOf(index);
    if (value.front() != '"')
        return {};
    QString decoded = JsonScanner::decodeString(value);
    if (decoded.isNull())
        decoded = QStringLiteral(""); // "" is a string, not an absent one
    return decoded;
}

std::optional<bool> JsonBody::boolean(QByteArrayView key) const
{
    const qsizetype index = JsonScanner::findLast(m_bytes, m_members, key);
    if (index < 0)
        return std::nullopt;
    const QByteArrayView value = valueOf(index);
    if (value == "true")
        return true;
    if (value == "false")
        return false;
    return std::nullopt;
}

void JsonBody::replace(qsizetype pos, qsizetype length, QByteArrayView bytes)
{
    m_bytes.replace(pos, length, bytes.data(), bytes.size());
    const qsizetype delta = bytes.size() - length;
    if (delta == 0)
        return;
    // An offset moves if it lies behind the replaced range. An offset equal to `pos`
    // stays: it is either the start of the replaced value, or (for an insertion) the end
    // of the member the insertion follows.
    const auto shift = [pos, length, delta](qsizetype &offset) {
        if (offset > pos && offset >= pos + length)
            offset += delta;
    };
    for (JsonMember &m : m_members) {
        shift(m.keyStart);
        shift(m.keyEnd);
        shift(m.valueStart);
        shift(m.valueEnd);
    }
    shift(m_close);
}

void JsonBody::appendMember(QByteArrayView key, QByteArrayView rawValue)
{
    QByteArray inserted;
    const bool first = m_members.isEmpty();
    if (!first)
        inserted += ',';
    JsonMember member;
    const qsizetype pos = first ? m_open + 1 : m_members.back().valueEnd;
    member.keyStart = pos + inserted.size();
    JsonScanner::appendQuoted(inserted, key);
    member.keyEnd = pos + inserted.size();
    member.keyEscaped = inserted.indexOf('\\') >= 0;
    inserted += ':';
    member.valueStart = pos + inserted.size();
    inserted += rawValue;
    member.valueEnd = pos + inserted.size();
    replace(pos, 0, inserted);
    m_members.append(member);
}

void JsonBody::setString(QByteArrayView key, QStringView value)
{
    QByteArray quoted;
    JsonScanner::appendQuoted(quoted, value);
    bool found = false;
    for (qsizetype i = m_members.size() - 1; i >= 0; --i) {
        if (JsonScanner::keyEquals(m_bytes, m_members[i], key)) {
            const JsonMember m = m_members[i];
            replace(m.valueStart, m.valueEnd - m.valueStart, quoted);
            found = true;
        }
    }
    if (!found)
        appendMember(key, quoted);
}

bool JsonBody::ensureStreamIncludeUsage()
{
    bool changed = false;
    bool found = false;
    for (qsizetype i = m_members.size() - 1; i >= 0; --i) {
        if (!JsonScanner::keyEquals(m_bytes, m_members[i], "stream_options"))
            continue;
        found = true;
        const JsonMember options = m_members[i];
        const QByteArrayView value = valueOf(i);
        if (value == "null") {
            replace(options.valueStart, options.valueEnd - options.valueStart, kIncludeUsageObject);
            changed = true;
            continue;
        }
        if (value.front() != '{')
            continue;
        // The body was validated as a whole, so this scan of a part of it cannot fail.
        JsonMembers inner;
        JsonScanner(m_bytes).scanObject(options.valueStart, &inner);
        bool hasInclude = false;
        for (qsizetype j = inner.size() - 1; j >= 0; --j) {
            const JsonMember &m = inner[j];
            if (!JsonScanner::keyEquals(m_bytes, m, "include_usage"))
                continue;
            hasInclude = true;
            if (QByteArrayView(m_bytes).sliced(m.valueStart, m.valueEnd - m.valueStart) != "true") {
                replace(m.valueStart, m.valueEnd - m.valueStart, "true");
                changed = true;
            }
        }
        if (!hasInclude) {
            if (inner.isEmpty())
                replace(options.valueStart + 1, 0, R"("include_usage":true)");
            else
                replace(inner.back().valueEnd, 0, R"(,"include_usage":true)");
            changed = true;
        }
    }
    if (!found) {
        appendMember("stream_options", kIncludeUsageObject);
        changed = true;
    }
    return changed;
}

} // namespace sy::providers
