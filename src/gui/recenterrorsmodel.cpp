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

void RecentErrorsModel::addAll(const QList<UsageRecord> &oldestFirst)
{
    QList<UsageRecord> incoming; // newest first, at most a list's worth
    for (auto it = oldestFirst.crbegin(); it != oldestFirst.crend() && incoming.size() < kCapacity; ++it) {
        if (Format::isError(*it))
            incoming.append(*it);
    }
    if (incoming.isEmpty())
        return;
    const int keep = kCapacity - int(incoming.size());
    if (m_errors.size() > keep) {
        beginRemoveRows({}, keep, int(m_errors.size()) - 1);
        m_errors.resize(keep);
        endRemoveRows();
    }
    beginInsertRows({}, 0, int(incoming.size()) - 1);
    m_errors = incoming + m_errors;
    endInsertRows();
}

void RecentErrorsModel::add(const UsageRecord &record)
{
    addAll({record});
}

} // namespace sy::gui
