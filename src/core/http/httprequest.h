// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

#include "headers.h"

namespace sy::http {

// Why a request could not be read. The connection answers it and then closes.
enum class RequestError { None, Malformed, HeadersTooLarge, BodyTooLarge, UnsupportedTransfer };

// One parsed HTTP/1.1 request, body complete.
struct HttpRequest
{
    QByteArray method;
    QByteArray target; // as sent: path and query
    QByteArray path; // without the query
    QByteArray query; // without the '?'; empty if none
    HeaderList headers;
    QByteArray body;
    bool keepAlive = true;
    RequestError error = RequestError::None;

    QByteArrayView header(QByteArrayView name) const { return headerValue(headers, name); }
};

} // namespace sy::http
