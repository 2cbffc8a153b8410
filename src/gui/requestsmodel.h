// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <optional>

#include <QAbstractTableModel>
#include <QList>
#include <QSet>
#include <QTimer>

#include "common/usagerecord.h"
#include "store/requesthistory.h"

namespace sy::gui {

// The latest requests' metadata (never content) for the requests page, newest first and
// capped in memory. Records arriving live are gathered and inserted in one batch a few
// times a second, so a busy gateway costs the view one layout per batch, not one per request.
// Older rows paged in from the database (RequestHistory) go below the live ones, never twice.
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
    static constexpr int kMaxRows = 50'000; // paged in and live together; beyond: export-usage

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

    // Where the next page from the database starts: before the bottom row if it came from
    // there; below a live row, everything that started by the time it was recorded (live rows
    // come in the order requests ended, so a long one may sit below shorter ones that began
    // after it; those among the page are skipped as shown already).
    store::RequestHistory::Position olderPosition() const;
    // While a page is read, live rows push none out at the bottom, so the page still joins on.
    void holdBottom(bool hold);
    // A page, newest first, below the rows held, without the ones shown already; then as many
    // live rows as the capacity fit above before the oldest leave. Returns how many were added.
    int appendOlder(const QList<store::RequestHistory::Row> &page);
    bool isFull() const { return m_records.size() >= kMaxRows; }
    // Changes with reset(): a page asked for before no longer joins on.
    quint64 generation() const { return m_generation; }

    // The values seen so far, for the page's filters.
    QStringList clients() const;
    QStringList providers() const;
    QStringList models() const;

signals:
    void valuesSeen(); // a client, provider or model not seen before

private:
    void remember(const UsageRecord &record, bool &changed);

    const int m_capacity;
    int m_limit; // rows kept before the oldest leave: the capacity, more once pages came in
    bool m_holdBottom = false;
    quint64 m_generation = 0;
    QList<UsageRecord> m_records; // newest first
    QList<qint64> m_ids; // beside m_records: the database row id, or -1 for a live row
    QSet<qint64> m_idSet;
    // Below a live bottom row: where a page of only rows shown already ended, so the next goes on.
    std::optional<store::RequestHistory::Position> m_liveCursor;
    QList<UsageRecord> m_pending; // oldest first
    QTimer m_batch;
    QSet<QString> m_clients;
    QSet<QString> m_providers;
    QSet<QString> m_models;
};

} // namespace sy::gui
