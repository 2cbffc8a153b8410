// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include "providers/wireformat.h"

namespace sy::gateway {

class GatewayState;
struct ProviderRuntime;

// Where a request goes, or why it can't go anywhere.
struct RouteDecision
{
    const ProviderRuntime *provider = nullptr;
    QString upstreamModel;
    QString route; // the route name when the model named a route
    bool rewriteModel = false; // the body's model must become upstreamModel
    providers::ErrorKind errorKind = providers::ErrorKind::NotFound;
    QString error; // set when provider is null

    bool ok() const { return provider != nullptr; }
};

// Resolves the model a client asked for: a route name, "provider/model", or a plain
// model for the first provider that speaks the endpoint's format.
class Router
{
public:
    static RouteDecision resolve(const GatewayState &state, providers::WireFormat format, const QString &model);
};

} // namespace sy::gateway
