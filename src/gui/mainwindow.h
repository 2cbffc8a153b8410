// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QMainWindow>

#include "host/datalocation.h"
#include "host/eventlog.h"
#include "host/host.h"

class QLabel;
class QPushButton;

namespace Ui {
class MainWindow;
}

namespace sy::control {
class GatewayLink;
}

namespace sy::gui {

class DashboardPage;
class RequestsPage;
class UsageSummary;

// The window: a list of pages (Dashboard, Requests; Costs, Providers, Clients, Routing and
// Settings come later) beside a stack of them, a banner for what is wrong or missing, and
// a status bar with the mode (gateway in this app, or attached to a running serve), the
// state and the address. It reads the gateway through the link (the control channel, the
// same whether the gateway runs in this process or in an attached serve) and asks for
// changes through signals; it never calls into the gateway.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum Page { DashboardIndex, RequestsIndex };
    static constexpr auto kCloseToTrayKey = "window/closeToTray";

    MainWindow(control::GatewayLink &link, host::DataLocation location, UsageSummary &summary,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    DashboardPage *dashboard() const { return m_dashboard; }
    RequestsPage *requests() const { return m_requests; }
    void showPage(Page page);
    // Whether closing the window leaves Switchyard in the tray; only where a tray exists.
    void setTrayAvailable(bool available);
    bool closesToTray() const;
    void showBanner(const QString &text, host::EventLog::Level level);
    // The gateway runs in this process: its start failures and event log show here.
    void watchHost(host::Host &host);
    void setMode(const QString &text); // the status bar's "Gateway in this app" / "Attached to ..."
    // The attached serve went away: say so and offer to start the gateway in this app.
    void showGatewayGone(const QString &text);
    void shutdown(); // the app is quitting: pages read nothing more

signals:
    void pauseRequested(bool paused);
    void quitRequested();
    void hiddenToTray(); // the window was closed and Switchyard stays in the tray
    void startHereRequested(); // after showGatewayGone(): start the gateway in this app

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void onLinkStatus();
    void onStartFailed(const QString &reason);
    void onEvent(const sy::host::EventLog::Event &event);
    void onPauseToggled(bool paused);
    void onCloseToTrayToggled(bool enabled);
    void updateStatus();

    control::GatewayLink &m_link;
    host::Host *m_host = nullptr; // when the gateway runs in this process
    std::unique_ptr<Ui::MainWindow> m_ui;
    DashboardPage *m_dashboard;
    RequestsPage *m_requests;
    QLabel *m_modeLabel;
    QLabel *m_stateLabel;
    QLabel *m_addressLabel;
    QLabel *m_trayLabel;
    QPushButton *m_startHereButton;
    bool m_trayAvailable = false;
    bool m_shutDown = false;
};

} // namespace sy::gui
