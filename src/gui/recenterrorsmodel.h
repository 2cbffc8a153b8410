// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractListModel>
#include <QList>

#include "common/usagerecord.h"

namespace sy::gui {

// The dashboard's last errors, newest first, one short content-free line each (time,
// status, provider, model, why). Requests that did not fail are ignored.
class RecentErrorsModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecentErrorsModel)

public:
    static constexpr int kCapacity = 8;

    explicit RecentErrorsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void reset(const QList<UsageRecord> &newestFirst);
    void add(const UsageRecord &record);
    // Errors among records that ended since the last call, oldest first: one insertion, so
    // the list repaints once for a batch (under load errors come many a second).
    void addAll(const QList<UsageRecord> &oldestFirst);

private:
    QList<UsageRecord> m_errors; // newest first
};

} // namespace sy::gui
