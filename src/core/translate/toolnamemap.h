// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>

namespace sy::translate {

// Tool names both ways. OpenAI takes function names of 1 to 64 characters from
// [A-Za-z0-9_-]; Anthropic (and MCP servers behind Claude Code) allow longer names and
// other characters. A name that does not fit is shortened to a readable prefix plus a
// hash of the whole name, and remembered, so the names in the reply turn back into the
// caller's own. Names that fit are left alone.
class ToolNameMap
{
public:
    static constexpr qsizetype kMaxLength = 64;

    static bool fitsOpenAI(QByteArrayView name);

    // The OpenAI name for `name` (UTF-8), recorded for restore().
    QByteArray shorten(const QByteArray &name);
    // The caller's name for one that came back from the provider.
    QByteArray restore(const QByteArray &name) const;
    qsizetype shortenedCount() const { return m_originals.size(); }

private:
    QHash<QByteArray, QByteArray> m_originals; // shortened -> original
};

} // namespace sy::translate
