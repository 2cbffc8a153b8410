// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

#include "providers/endpoint.h"
#include "providers/wireformat.h"

namespace sy::config {
struct RouteConfig;
}

namespace sy::gateway {

class GatewayState;
class RouteStats;
struct ProviderRuntime;

// One place a request can go.
struct RouteTarget
{
    const ProviderRuntime *provider = nullptr;
    QString upstreamModel;
    bool rewriteModel = false; // the body's model must become upstreamModel
    QString keyLabel; // pins one key of the provider's pool; empty: any
    bool translate = false; // the provider speaks another format than the caller
};

// Where a request goes, in the order to try, or why it can't go anywhere.
struct RouteDecision
{
    QList<RouteTarget> targets; // empty on error
    const config::RouteConfig *route = nullptr; // set when the model named a route
    providers::ErrorKind errorKind = providers::ErrorKind::NotFound;
    QString error;

    bool ok() const { return !targets.isEmpty(); }
};

// Resolves the model a client asked for: a route name (its targets ordered by the
// route's strategy), "provider/model", or a plain model for the first provider that
// speaks the endpoint's format. A route target or "provider/model" in the other format is
// translated where a translation exists for the endpoint and both the route and the
// provider allow it (translate, on by default); otherwise it is refused, naming why.
class Router
{
public:
    static RouteDecision resolve(const GatewayState &state, RouteStats &stats, providers::Endpoint endpoint,
                                 const QString &model);
    // Can a request to `endpoint` be translated for a provider speaking `provider`?
    // (Anthropic Messages to OpenAI chat completions, so far.)
    static bool translationExists(providers::Endpoint endpoint, providers::WireFormat provider);
};

} // namespace sy::gateway
