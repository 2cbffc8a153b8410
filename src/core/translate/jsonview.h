// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include "providers/jsonscanner.h"

namespace sy::translate {

// A read-only view of one value inside validated JSON text, for the response side of a
// translation, which runs once per streamed chunk: members and elements are found by byte
// span, strings decoded only when asked, and a string's raw token can be copied into the
// output as it is (JSON escapes mean the same in both dialects). No DOM.
class JsonView
{
public:
    JsonView() = default;
    // The whole text must be one JSON value (whitespace around it allowed); else a null view.
    static JsonView parse(QByteArrayView text);

    bool isNull() const { return m_raw.isEmpty(); } // absent (not JSON null)
    bool isObject() const { return !isNull() && m_raw.front() == '{'; }
    bool isArray() const { return !isNull() && m_raw.front() == '['; }
    bool isString() const { return !isNull() && m_raw.front() == '"'; }
    // The value's bytes as they are in the text (a string with its quotes and escapes).
    QByteArrayView raw() const { return m_raw; }

    // The member `key` of an object (the last one, as the providers' parsers read it);
    // a null view when absent or when this is not an object.
    JsonView member(QByteArrayView key) const;
    QList<JsonView> elements() const; // of an array; empty otherwise
    QByteArray utf8() const; // a string's decoded value; empty otherwise
    // A string with at least one character (a raw token longer than "").
    bool isNonEmptyString() const { return isString() && m_raw.size() > 2; }
    std::optional<qint64> integer() const;

private:
    explicit JsonView(QByteArrayView raw);

    QByteArrayView m_raw;
    providers::JsonMembers m_members; // scanned once for objects
};

} // namespace sy::translate
