// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QSet>
#include <QTimer>

#include "common/usagerecord.h"

namespace sy::gui {

// The latest requests' metadata (never content) for the requests page, newest first and
// capped in memory. Records arriving live are gathered and inserted in one batch a few
// times a second, so a busy gateway costs the view one layout per batch, not one per request.
class RequestsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestsModel)

public:
    enum Column {
        Time,
        Client,
        Provider,
        Model,
        Status,
        Cost,
        InputTokens,
        OutputTokens,
        Latency,
        Ttfb,
        Outcome,
        Endpoint,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // a value that sorts right (numbers as numbers)
        ErrorRole, // bool: the request counts as an error
    };
    static constexpr int kDefaultCapacity = 5000;
    static constexpr int kBatchMs = 200;

    explicit RequestsModel(int capacity = kDefaultCapacity, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Newest first, as RecentRequests::latest() gives them; replaces what is shown.
    void reset(const QList<UsageRecord> &newestFirst);
    // One finished request; shown with the next batch.
    void add(const UsageRecord &record);
    void flush(); // insert what is pending now
    const UsageRecord &record(int row) const { return m_records.at(row); }
    int capacity() const { return m_capacity; }

    // The values seen so far, for the page's filters.
    QStringList clients() const;
    QStringList providers() const;
    QStringList models() const;

signals:
    void valuesSeen(); // a client, provider or model not seen before

private:
    void remember(const UsageRecord &record, bool &changed);

    const int m_capacity;
    QList<UsageRecord> m_records; // newest first
    QList<UsageRecord> m_pending; // oldest first
    QTimer m_batch;
    QSet<QString> m_clients;
    QSet<QString> m_providers;
    QSet<QString> m_models;
};

} // namespace sy::gui
