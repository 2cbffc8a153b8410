// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include "headercollector.h"
#include "httprequest.h"

struct http_parser;

namespace sy::http {

// Incremental HTTP/1.1 request parser (llhttp's predecessor, http_parser) with the
// gateway's limits. It stops after each complete request so that pipelined requests
// are answered in order.
class RequestParser
{
public:
    RequestParser(qint64 maxBodyBytes, int maxHeaderBytes);
    ~RequestParser();
    RequestParser(const RequestParser &) = delete;
    RequestParser &operator=(const RequestParser &) = delete;

    // Parses from data; returns the bytes consumed. Stops early when a request completes
    // or on an error.
    qsizetype feed(QByteArrayView data);

    bool headersComplete() const { return m_headersComplete; }
    bool expectsContinue() const { return m_expectContinue; }
    bool messageComplete() const { return m_messageComplete; }
    RequestError error() const { return m_request.error; }
    const HttpRequest &request() const { return m_request; }
    HttpRequest takeRequest(); // and prepare for the next one

private:
    friend struct ParserCallbacks;
    void fail(RequestError error);

    std::unique_ptr<http_parser> m_parser;
    HttpRequest m_request;
    QByteArray m_url;
    qint64 m_maxBodyBytes;
    int m_maxHeaderBytes;
    qint64 m_headerBytes = 0;
    HeaderCollector m_headers;
    bool m_headersComplete = false;
    bool m_messageComplete = false;
    bool m_expectContinue = false;
};

} // namespace sy::http
