// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QObject>
#include <QThread>

#include "host/datalocation.h"
#include "host/host.h"

namespace sy::gui {

class MainWindow;
class TrayIcon;
class UsageSummary;

// The desktop app: the host on a thread of its own, the window and the tray icon. Closing
// the window leaves it in the tray (a setting); quit() stops the host the way SIGTERM
// stops `serve` (no new requests, those in flight finish, every finished request's row
// committed), ends the host's thread and then emits finished(). main() connects
// finished() to QCoreApplication::quit and SIGTERM/SIGINT to quit().
class DesktopApp final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DesktopApp)

public:
    explicit DesktopApp(host::DataLocation location, QObject *parent = nullptr);
    ~DesktopApp() override;

    void start(bool showWindow = true); // starts the host; answers on the host's signals
    bool isQuitting() const { return m_quitting; }

    host::Host &host() { return *m_host; }
    MainWindow &window() { return *m_window; }
    TrayIcon &tray() { return *m_tray; }
    UsageSummary &summary() { return *m_summary; }

public slots:
    void quit();
    void showWindow();

signals:
    void finished(); // the host stopped and its thread ended: the process may exit

private:
    void onStateChanged(sy::host::Host::State state);
    void onStopped();
    void onHiddenToTray();
    void finishQuit();

    QThread m_thread;
    host::Host *m_host; // lives on m_thread; deleted there when the thread ends
    std::unique_ptr<UsageSummary> m_summary;
    std::unique_ptr<TrayIcon> m_tray;
    std::unique_ptr<MainWindow> m_window;
    host::Host::State m_state = host::Host::State::Stopped;
    bool m_quitting = false;
    bool m_finished = false;
};

} // namespace sy::gui
