// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QSortFilterProxyModel>

namespace sy::gui {

// The requests page's filters over a RequestsModel: client, provider, model, a status
// class and free text matched against every column shown. Sorting uses the model's
// SortRole, so numbers sort as numbers.
class RequestsFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestsFilterModel)

public:
    enum class StatusFilter { Any, Success, Errors, GatewayRefused, ProviderErrors };
    Q_ENUM(StatusFilter)

    explicit RequestsFilterModel(QObject *parent = nullptr);

    void setClient(const QString &client); // empty: any
    void setProvider(const QString &provider);
    void setModel(const QString &model);
    void setStatusFilter(StatusFilter filter);
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void refilter();

    QString m_client;
    QString m_provider;
    QString m_model;
    StatusFilter m_status = StatusFilter::Any;
    QString m_text;
};

} // namespace sy::gui
