// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QMainWindow>

#include "host/eventlog.h"
#include "host/host.h"

class QLabel;

namespace Ui {
class MainWindow;
}

namespace sy::gui {

class DashboardPage;
class RequestsPage;
class UsageSummary;

// The window: a list of pages (Dashboard, Requests; Costs, Providers, Clients, Routing and
// Settings come later) beside a stack of them, a banner for what is wrong or missing, and
// a status bar with the mode (gateway in this app, or attached to a running serve), the
// state and the address. It reads the host's thread-safe views and asks for changes
// through signals (queued to the host's thread); it never calls into the gateway.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum Page { DashboardIndex, RequestsIndex };
    static constexpr auto kCloseToTrayKey = "window/closeToTray";

    MainWindow(host::Host &host, UsageSummary &summary, QWidget *parent = nullptr);
    ~MainWindow() override;

    DashboardPage *dashboard() const { return m_dashboard; }
    RequestsPage *requests() const { return m_requests; }
    void showPage(Page page);
    // Whether closing the window leaves Switchyard in the tray; only where a tray exists.
    void setTrayAvailable(bool available);
    bool closesToTray() const;
    void showBanner(const QString &text, host::EventLog::Level level);
    void shutdown(); // the host is stopping: pages read nothing more from it

signals:
    void pauseRequested(bool paused);
    void quitRequested();
    void hiddenToTray(); // the window was closed and Switchyard stays in the tray

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void onStateChanged(sy::host::Host::State state);
    void onStartFailed(const QString &reason);
    void onEvent(const sy::host::EventLog::Event &event);
    void onPauseToggled(bool paused);
    void onCloseToTrayToggled(bool enabled);
    void updateStatus();

    host::Host &m_host;
    std::unique_ptr<Ui::MainWindow> m_ui;
    DashboardPage *m_dashboard;
    RequestsPage *m_requests;
    QLabel *m_modeLabel;
    QLabel *m_stateLabel;
    QLabel *m_addressLabel;
    QLabel *m_trayLabel;
    bool m_trayAvailable = false;
    bool m_shutDown = false;
};

} // namespace sy::gui
