// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

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
// speaks the endpoint's format.
class Router
{
public:
    static RouteDecision resolve(const GatewayState &state, RouteStats &stats, providers::WireFormat format,
                                 const QString &model);
};

} // namespace sy::gateway
