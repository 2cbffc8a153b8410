// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

namespace sy::http {

class HttpExchange;

// Answers requests. One handler lives on each worker thread and sees only that thread's
// exchanges, so it needs no locking for its own state.
class RequestHandler
{
public:
    virtual ~RequestHandler() = default;
    // Called once per request, in order per connection. exchange->request().error may be set:
    // the handler answers it in the caller's wire format and the connection then closes.
    virtual void handle(HttpExchange *exchange) = 0;
};

} // namespace sy::http
