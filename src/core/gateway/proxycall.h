// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include "common/usagerecord.h"
#include "http/headers.h"
#include "pricing/tokenusage.h"
#include "providers/endpoint.h"
#include "providers/responsetap.h"
#include "providers/wireformat.h"
#include "upstream/upstreamrequest.h"

namespace sy {
class UsageSink;
}
namespace sy::http {
class HttpExchange;
}
namespace sy::upstream {
class UpstreamCall;
class UpstreamPool;
}

namespace sy::gateway {

class GatewayState;

// One request forwarded upstream: relays the response to the client as it arrives,
// reads usage from it on the way, and records the metadata when it ends, whichever
// way it ends.
class ProxyCall final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProxyCall)

public:
    struct Plan
    {
        upstream::UpstreamRequest request;
        providers::Endpoint endpoint = providers::Endpoint::Unknown;
        providers::WireFormat callerFormat = providers::WireFormat::OpenAI;
        bool hideInjectedUsage = false; // the gateway added stream_options.include_usage
        http::HeaderList extraResponseHeaders; // e.g. CORS
        std::shared_ptr<const GatewayState> state; // prices; kept alive while the call runs
        pricing::CacheConvention usageConvention = pricing::CacheConvention::InputIncludesCached;
    };

    ProxyCall(http::HttpExchange *exchange, upstream::UpstreamPool &pool, UsageSink &sink, UsageRecord record,
              Plan plan, QElapsedTimer received, QObject *parent = nullptr);
    ~ProxyCall() override;

    void start();

private:
    void onResponseStarted(int status, const http::HeaderList &headers, qint64 contentLength);
    void onBodyReceived(QByteArrayView data);
    void onFinished();
    void onFailed(upstream::UpstreamError error, bool responseHadStarted);
    void onClientGone();
    void onDrained();
    void forward(QByteArrayView data);
    void complete(Outcome outcome);

    QPointer<http::HttpExchange> m_exchange;
    UsageSink &m_sink;
    UsageRecord m_record;
    providers::Endpoint m_endpoint;
    providers::WireFormat m_callerFormat;
    bool m_hideInjectedUsage;
    http::HeaderList m_extraResponseHeaders;
    std::shared_ptr<const GatewayState> m_state;
    pricing::CacheConvention m_usageConvention;
    QElapsedTimer m_received;
    upstream::UpstreamCall *m_call;
    std::optional<providers::ResponseTap> m_tap;
    QByteArray m_transformed;
    bool m_paused = false;
    bool m_completed = false;
};

} // namespace sy::gateway
