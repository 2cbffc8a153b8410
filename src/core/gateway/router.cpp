// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "router.h"

#include "gatewaystate.h"

namespace sy::gateway {

namespace {

QString formatName(providers::WireFormat format)
{
    return format == providers::WireFormat::Anthropic ? QStringLiteral("Anthropic") : QStringLiteral("OpenAI");
}

RouteDecision failure(providers::ErrorKind kind, QString message)
{
    RouteDecision decision;
    decision.errorKind = kind;
    decision.error = std::move(message);
    return decision;
}

RouteDecision checkFormat(RouteDecision decision, providers::WireFormat format)
{
    if (decision.provider->format != format) {
        return failure(providers::ErrorKind::InvalidRequest,
                       QStringLiteral("provider '%1' speaks the %2 format; this endpoint is %3's")
                           .arg(decision.provider->config.id, formatName(decision.provider->format), formatName(format)));
    }
    return decision;
}

} // namespace

RouteDecision Router::resolve(const GatewayState &state, providers::WireFormat format, const QString &model)
{
    if (const config::RouteConfig *route = state.config().route(model)) {
        // Fallback across targets comes with the routing issue; for now the first target.
        const config::RouteTarget &target = route->targets.first();
        RouteDecision decision;
        decision.provider = state.provider(target.provider);
        decision.upstreamModel = target.model;
        decision.route = route->model;
        decision.rewriteModel = true;
        return checkFormat(decision, format);
    }
    const qsizetype slash = model.indexOf(u'/');
    if (slash > 0) {
        if (const ProviderRuntime *provider = state.provider(QStringView(model).left(slash))) {
            RouteDecision decision;
            decision.provider = provider;
            decision.upstreamModel = model.mid(slash + 1);
            decision.rewriteModel = true;
            if (decision.upstreamModel.isEmpty())
                return failure(providers::ErrorKind::InvalidRequest, QStringLiteral("model '%1' names no model after the provider").arg(model));
            return checkFormat(decision, format);
        }
        // Not a provider id: model names like "meta-llama/Llama-3" pass through as they are.
    }
    RouteDecision decision;
    decision.provider = state.firstProvider(format);
    decision.upstreamModel = model;
    if (!decision.provider)
        return failure(providers::ErrorKind::NotFound,
                       QStringLiteral("no provider speaking the %1 format is configured for model '%2'")
                           .arg(formatName(format), model));
    return decision;
}

} // namespace sy::gateway
