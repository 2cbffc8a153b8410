// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace sy::http {

struct Header
{
    QByteArray name; // as received; compare case-insensitively
    QByteArray value;
};

using HeaderList = QList<Header>;

// The value of the first header with this name (case-insensitive); a null view if absent.
QByteArrayView headerValue(const HeaderList &headers, QByteArrayView name);
bool sameHeaderName(QByteArrayView a, QByteArrayView b);
// Hop-by-hop headers (RFC 9110 7.6.1) and those the proxy frames itself: never forwarded.
bool isHopByHop(QByteArrayView name);

} // namespace sy::http
