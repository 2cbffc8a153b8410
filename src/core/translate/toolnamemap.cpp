// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "toolnamemap.h"

#include <QCryptographicHash>

namespace sy::translate {

namespace {

bool allowed(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

constexpr qsizetype kHashChars = 8;

} // namespace

bool ToolNameMap::fitsOpenAI(QByteArrayView name)
{
    if (name.isEmpty() || name.size() > kMaxLength)
        return false;
    for (char c : name) {
        if (!allowed(c))
            return false;
    }
    return true;
}

QByteArray ToolNameMap::shorten(const QByteArray &name)
{
    if (fitsOpenAI(name))
        return name;
    QByteArray prefix;
    prefix.reserve(kMaxLength);
    for (char c : name) {
        if (prefix.size() == kMaxLength - kHashChars - 1)
            break;
        prefix += allowed(c) ? c : '_';
    }
    const QByteArray hash = QCryptographicHash::hash(name, QCryptographicHash::Sha256).toHex();
    // A longer hash only if two names met on the same 32 bits.
    for (qsizetype chars = kHashChars; chars <= 40; chars += 8) {
        const QByteArray shortened = prefix.left(kMaxLength - chars - 1) + '_' + hash.left(chars);
        const auto known = m_originals.constFind(shortened);
        if (known == m_originals.cend() || *known == name) {
            m_originals.insert(shortened, name);
            return shortened;
        }
    }
    return prefix; // unreachable in practice
}

QByteArray ToolNameMap::restore(const QByteArray &name) const
{
    return m_originals.value(name, name);
}

} // namespace sy::translate
