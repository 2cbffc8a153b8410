// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "router.h"

#include <algorithm>
#include <limits>

#include "common/clock.h"
#include "gatewaystate.h"
#include "routestats.h"

namespace sy::gateway {

using providers::ErrorKind;

namespace {

QString formatName(providers::WireFormat format)
{
    return format == providers::WireFormat::Anthropic ? QStringLiteral("Anthropic") : QStringLiteral("OpenAI");
}

RouteDecision failure(ErrorKind kind, QString message)
{
    RouteDecision decision;
    decision.errorKind = kind;
    decision.error = std::move(message);
    return decision;
}

// Why `provider` cannot take a request to `endpoint`, if it cannot.
std::optional<QString> formatMismatch(const ProviderRuntime &provider, providers::Endpoint endpoint,
                                      bool routeTranslates)
{
    const providers::WireFormat format = providers::wireFormatOf(endpoint);
    if (provider.format == format)
        return std::nullopt;
    if (!Router::translationExists(endpoint, provider.format))
        return QStringLiteral("provider '%1' speaks the %2 format and this endpoint is %3's; Switchyard does not "
                              "translate this endpoint to %2 yet")
            .arg(provider.config.id, formatName(provider.format), formatName(format));
    if (!routeTranslates || !provider.config.translate)
        return QStringLiteral("provider '%1' speaks the %2 format, this endpoint is %3's, and translation is off for "
                              "this %4")
            .arg(provider.config.id, formatName(provider.format), formatName(format),
                 routeTranslates ? QStringLiteral("provider") : QStringLiteral("route"));
    return std::nullopt;
}

// Price per million tokens, input and output together: the order lowest-cost uses.
// Unpriced targets go last; equal ones keep their config order.
double listPrice(const GatewayState &state, const RouteTarget &target)
{
    const auto price
        = state.prices().price(target.provider->config.id, target.upstreamModel, Clock::instance().nowUtc());
    return price ? double(price->rates.input + price->rates.output) : std::numeric_limits<double>::infinity();
}

void order(const GatewayState &state, RouteStats &stats, const config::RouteConfig &route, QList<RouteTarget> &targets)
{
    switch (route.strategy) {
    case config::RouteStrategy::Fallback:
        return;
    case config::RouteStrategy::Weighted: {
        QList<int> weights;
        for (const config::RouteTarget &target : route.targets)
            weights.append(target.weight);
        const int first = stats.nextWeighted(route.model, weights);
        targets.move(first, 0); // the rest stay in order, as fallbacks
        return;
    }
    case config::RouteStrategy::LowestLatency:
        // Targets never measured go first, so each gets measured.
        std::stable_sort(targets.begin(), targets.end(), [&stats](const RouteTarget &a, const RouteTarget &b) {
            return stats.averageTtfb(a.provider->config.id, a.upstreamModel).value_or(-1)
                < stats.averageTtfb(b.provider->config.id, b.upstreamModel).value_or(-1);
        });
        return;
    case config::RouteStrategy::LowestCost:
        std::stable_sort(targets.begin(), targets.end(), [&state](const RouteTarget &a, const RouteTarget &b) {
            return listPrice(state, a) < listPrice(state, b);
        });
        return;
    }
}

} // namespace

bool Router::translationExists(providers::Endpoint endpoint, providers::WireFormat provider)
{
    return endpoint == providers::Endpoint::Messages && provider == providers::WireFormat::OpenAI;
}

RouteDecision Router::resolve(const GatewayState &state, RouteStats &stats, providers::Endpoint endpoint,
                              const QString &model)
{
    const providers::WireFormat format = providers::wireFormatOf(endpoint);
    RouteDecision decision;
    if (const config::RouteConfig *route = state.config().route(model)) {
        decision.route = route;
        for (const config::RouteTarget &configured : route->targets) {
            const ProviderRuntime *provider = state.provider(configured.provider);
            if (auto mismatch = formatMismatch(*provider, endpoint, route->translate))
                return failure(ErrorKind::InvalidRequest, *mismatch);
            decision.targets.append({provider, configured.model, true, configured.key, provider->format != format});
        }
        order(state, stats, *route, decision.targets);
        return decision;
    }
    const qsizetype slash = model.indexOf(u'/');
    if (slash > 0) {
        if (const ProviderRuntime *provider = state.provider(QStringView(model).left(slash))) {
            const QString upstreamModel = model.mid(slash + 1);
            if (upstreamModel.isEmpty())
                return failure(ErrorKind::InvalidRequest,
                               QStringLiteral("model '%1' names no model after the provider").arg(model));
            if (auto mismatch = formatMismatch(*provider, endpoint, true))
                return failure(ErrorKind::InvalidRequest, *mismatch);
            decision.targets.append({provider, upstreamModel, true, {}, provider->format != format});
            return decision;
        }
        // Not a provider id: model names like "meta-llama/Llama-3" pass through as they are.
    }
    const ProviderRuntime *provider = state.firstProvider(format);
    if (!provider)
        return failure(ErrorKind::NotFound,
                       QStringLiteral("no provider speaking the %1 format is configured for model '%2'")
                           .arg(formatName(format), model));
    decision.targets.append({provider, model, false});
    return decision;
}

} // namespace sy::gateway
