// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "requestsfiltermodel.h"

#include "format.h"
#include "requestsmodel.h"

namespace sy::gui {

RequestsFilterModel::RequestsFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(RequestsModel::SortRole);
    setDynamicSortFilter(true);
}

void RequestsFilterModel::setClient(const QString &client)
{
    m_client = client;
    refilter();
}

void RequestsFilterModel::setProvider(const QString &provider)
{
    m_provider = provider;
    refilter();
}

void RequestsFilterModel::setModel(const QString &model)
{
    m_model = model;
    refilter();
}

void RequestsFilterModel::setStatusFilter(StatusFilter filter)
{
    m_status = filter;
    refilter();
}

void RequestsFilterModel::setText(const QString &text)
{
    m_text = text.trimmed();
    refilter();
}

void RequestsFilterModel::refilter()
{
    invalidateFilter();
}

bool RequestsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *requests = qobject_cast<const RequestsModel *>(sourceModel());
    if (!requests || sourceParent.isValid())
        return false;
    const UsageRecord &r = requests->record(sourceRow);
    if ((!m_client.isEmpty() && r.client != m_client) || (!m_provider.isEmpty() && r.provider != m_provider)
        || (!m_model.isEmpty() && r.model != m_model))
        return false;
    switch (m_status) {
    case StatusFilter::Any:
        break;
    case StatusFilter::Success:
        if (Format::isError(r))
            return false;
        break;
    case StatusFilter::Errors:
        if (!Format::isError(r))
            return false;
        break;
    case StatusFilter::GatewayRefused:
        if (r.outcome != Outcome::Rejected)
            return false;
        break;
    case StatusFilter::ProviderErrors:
        if (!Format::isError(r) || r.outcome == Outcome::Rejected || r.outcome == Outcome::ClientDisconnected)
            return false;
        break;
    }
    if (m_text.isEmpty())
        return true;
    for (int column = 0; column < RequestsModel::ColumnCount; ++column) {
        const QString shown = requests->index(sourceRow, column).data(Qt::DisplayRole).toString();
        if (shown.contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return r.endpoint.contains(m_text, Qt::CaseInsensitive) || r.route.contains(m_text, Qt::CaseInsensitive);
}

} // namespace sy::gui
