// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QWidget>

#include "common/usagerecord.h"

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

private:
    void onHeaderMenu(const QPoint &position);
    void onRecorded(const sy::UsageRecord &record);
    void onValuesSeen();
    void onFiltersChanged();
    void onCurrentChanged();
    void updateCount();
    void showDetails(const UsageRecord *record);

    live::RecentRequests &m_recent;
    std::unique_ptr<Ui::RequestsPage> m_ui;
    RequestsModel *m_model;
    RequestsFilterModel *m_filter;
    bool m_shutDown = false;
};

} // namespace sy::gui
