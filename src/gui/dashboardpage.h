// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QTimer>
#include <QWidget>

#include "common/usagerecord.h"
#include "host/datalocation.h"

namespace Ui {
class DashboardPage;
}

namespace sy {
class WatchedFile;
}

namespace sy::control {
class GatewayLink;
}

namespace sy::gui {

class RecentErrorsModel;
class UsageSummary;

// The dashboard: the last hour per minute (requests, errors, tokens, latency) from the
// gateway's live figures as the link mirrors them (in this process or an attached serve), spend today and this month
// from the usage summary, the burn rate and a month-end projection, requests in flight, the address and the lines to
// paste into each tool, and the last errors. Redrawn once a second while visible; a hidden page reads and draws
// nothing.
class DashboardPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardPage)

public:
    static constexpr int kRedrawMs = 1000;

    DashboardPage(control::GatewayLink &link, host::DataLocation location, UsageSummary &summary,
                  QWidget *parent = nullptr);
    ~DashboardPage() override;

    void refresh(); // read the live figures and redraw now
    void shutdown(); // the app is quitting: read nothing more
    bool isRedrawing() const { return m_redraw.isActive(); } // only while visible

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void onRecorded(const sy::UsageRecord &record);
    void onStatusChanged();
    void onAddressKnown();
    void onSummaryChanged();
    void onClientKeysChanged();
    void onCopyAddress();
    void onCopyEnvLine();
    void updateEmptyState();
    void updateSpend();
    void flushErrors();

    control::GatewayLink &m_link;
    const host::DataLocation m_location;
    UsageSummary &m_summary;
    std::unique_ptr<WatchedFile> m_clientKeyFile;
    QString m_url;
    QString m_state;
    bool m_requireClientKey = true;
    std::unique_ptr<Ui::DashboardPage> m_ui;
    RecentErrorsModel *m_errors;
    QList<UsageRecord> m_pendingErrors; // ended since the last redraw, oldest first
    QTimer m_redraw;
    qint64 m_lastHourRequests = 0;
    qint64 m_burnMicroUsdPerHour = 0;
    bool m_hasClientKeys = false;
    bool m_shutDown = false;
};

} // namespace sy::gui
