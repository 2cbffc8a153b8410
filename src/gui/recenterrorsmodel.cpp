// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "recenterrorsmodel.h"

#include "format.h"

namespace sy::gui {

RecentErrorsModel::RecentErrorsModel(QObject *parent) : QAbstractListModel(parent) { }

int RecentErrorsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_errors.size());
}

QVariant RecentErrorsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_errors.size())
        return {};
    const UsageRecord &r = m_errors.at(index.row());
    if (role == Qt::DisplayRole)
        return Format::errorLine(r);
    if (role == Qt::ToolTipRole)
        return tr("%1, client %2, %3")
            .arg(Format::dateTime(r.startedAt), r.client.isEmpty() ? Format::dash() : r.client, r.endpoint);
    return {};
}

void RecentErrorsModel::reset(const QList<UsageRecord> &newestFirst)
{
    beginResetModel();
    m_errors.clear();
    for (const UsageRecord &record : newestFirst) {
        if (m_errors.size() == kCapacity)
            break;
        if (Format::isError(record))
            m_errors.append(record);
    }
    endResetModel();
}

void RecentErrorsModel::add(const UsageRecord &record)
{
    if (!Format::isError(record))
        return;
    if (m_errors.size() == kCapacity) {
        beginRemoveRows({}, kCapacity - 1, kCapacity - 1);
        m_errors.removeLast();
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_errors.prepend(record);
    endInsertRows();
}

} // namespace sy::gui
