// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>

#include <QWidget>

#include "common/usagerecord.h"
#include "olderrequestsloader.h"

namespace Ui {
class RequestsPage;
}

namespace sy::live {
class RecentRequests;
}

namespace sy::gui {

class RequestsFilterModel;
class RequestsModel;

// The requests page: the latest requests' metadata in a table that grows live (newest
// first, capped in memory), filters by client, provider, model, status and text, and the
// selected request's details (tokens by kind, cost and price book, attempts, timings).
// Scrolled to its end (newest first), it pages older requests in from the usage database
// on a worker, a page at a time, below the live ones.
class RequestsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestsPage)

public:
    explicit RequestsPage(live::RecentRequests &recent, QWidget *parent = nullptr);
    ~RequestsPage() override;

    RequestsModel *model() const { return m_model; }
    RequestsFilterModel *filterModel() const { return m_filter; }
    void shutdown(); // the host is going away: take nothing more from it
    // Pages older requests in from the usage database of `dataDir` (read-only, so also the
    // database of a `serve` this window attached to).
    void setHistory(const QString &dataDir);

    static constexpr int kPageRows = 500;

protected:
    void showEvent(QShowEvent *event) override;

private:
    void onHeaderMenu(const QPoint &position);
    void onRecorded(const sy::UsageRecord &record);
    void onValuesSeen();
    void onFiltersChanged();
    void onCurrentChanged();
    void updateCount();
    void showDetails(const UsageRecord *record);
    void onScrolled(int value);
    void loadOlder();
    void onOlderLoaded(const QList<sy::gui::OlderRequestsLoader::Row> &rows, bool end);
    void onOlderFailed(const QString &error);
    bool atHistoryEnd() const;
    void updatePaging();

    live::RecentRequests &m_recent;
    std::unique_ptr<Ui::RequestsPage> m_ui;
    RequestsModel *m_model;
    RequestsFilterModel *m_filter;
    bool m_shutDown = false;
    OlderRequestsLoader *m_older = nullptr;
    quint64 m_olderGeneration = 0; // the model's, when the page being read was asked for
    std::optional<OlderRequestsLoader::Position> m_endAt; // nothing older than this
    QString m_olderError;
};

} // namespace sy::gui
