// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "headers.h"

namespace sy::http {

bool sameHeaderName(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

QByteArrayView headerValue(const HeaderList &headers, QByteArrayView name)
{
    for (const Header &header : headers) {
        if (sameHeaderName(header.name, name))
            return header.value;
    }
    return {};
}

bool isHopByHop(QByteArrayView name)
{
    static constexpr QByteArrayView kHopByHop[] = {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
    };
    for (QByteArrayView hop : kHopByHop) {
        if (sameHeaderName(name, hop))
            return true;
    }
    return false;
}

} // namespace sy::http
