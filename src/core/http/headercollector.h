// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <utility>

#include <QByteArrayView>

#include "headers.h"

namespace sy::http {

// Gathers a message's headers from http_parser's field and value callbacks, which may
// deliver a name or a value in several pieces (a header split across two reads). Shared
// by the request parser and the upstream response parser.
class HeaderCollector
{
public:
    void addFieldPart(QByteArrayView part)
    {
        if (m_inValue || m_headers.isEmpty()) {
            m_headers.append(Header {});
            m_inValue = false;
        }
        m_headers.last().name.append(part);
    }

    void addValuePart(QByteArrayView part)
    {
        m_inValue = true;
        m_headers.last().value.append(part);
    }

    // The headers so far; the collector starts over for the next message.
    HeaderList take()
    {
        m_inValue = false;
        return std::exchange(m_headers, {});
    }
    void clear() { take(); }

private:
    HeaderList m_headers;
    bool m_inValue = false;
};

} // namespace sy::http
