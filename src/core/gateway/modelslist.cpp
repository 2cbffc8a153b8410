// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "modelslist.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "gatewaystate.h"

namespace sy::gateway {

QByteArray ModelsList::json(const GatewayState &state, const ModelCatalog::Listing &discovered,
                            providers::WireFormat format)
{
    struct Entry
    {
        QString id;
        QString owner;
    };
    QList<Entry> entries;
    for (const config::RouteConfig &route : state.config().routes)
        entries.append({route.model, QStringLiteral("switchyard")});
    for (const ProviderRuntime &provider : state.providers()) {
        const QStringList &models
            = provider.config.models.isEmpty() ? discovered.models.value(provider.config.id) : provider.config.models;
        for (const QString &model : models)
            entries.append({provider.config.id + u'/' + model, provider.config.id});
    }

    QJsonArray data;
    if (format == providers::WireFormat::Anthropic) {
        for (const Entry &entry : std::as_const(entries)) {
            data.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("model")},
                                     {QStringLiteral("id"), entry.id},
                                     {QStringLiteral("display_name"), entry.id},
                                     {QStringLiteral("created_at"), QStringLiteral("1970-01-01T00:00:00Z")}});
        }
        QJsonObject page {{QStringLiteral("data"), data}, {QStringLiteral("has_more"), false}};
        page.insert(QStringLiteral("first_id"), entries.isEmpty() ? QJsonValue() : QJsonValue(entries.first().id));
        page.insert(QStringLiteral("last_id"), entries.isEmpty() ? QJsonValue() : QJsonValue(entries.last().id));
        return QJsonDocument(page).toJson(QJsonDocument::Compact);
    }
    for (const Entry &entry : std::as_const(entries)) {
        data.append(QJsonObject {{QStringLiteral("id"), entry.id},
                                 {QStringLiteral("object"), QStringLiteral("model")},
                                 {QStringLiteral("created"), 0},
                                 {QStringLiteral("owned_by"), entry.owner}});
    }
    return QJsonDocument(
               QJsonObject {{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}})
        .toJson(QJsonDocument::Compact);
}

} // namespace sy::gateway
