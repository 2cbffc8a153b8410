// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QObject>
#include <QThread>

#include "control/controlclient.h"
#include "host/datalocation.h"
#include "host/host.h"

namespace sy::control {
class GatewayLink;
}

namespace sy::gui {

class MainWindow;
class TrayIcon;
class UsageSummary;

// The desktop app: the window and the tray icon over one GatewayLink (the data dir's
// control channel), whoever runs the gateway. start() first asks the data dir's channel:
// nobody answers → the host runs here, on a thread of its own, and the link reads its
// channel; another window of this data dir answers (it offers "raise") → that window comes
// forward and this app ends (handedOver(), then finished()); a `switchyard serve` answers →
// the window attaches to it (no host here; Quit closes only the window; if the serve goes
// away the window says so and offers to start the gateway here).
//
// Closing the window leaves it in the tray (a setting); quit() stops an in-process host the
// way SIGTERM stops `serve` (no new requests, those in flight finish, every finished
// request's row committed), ends the host's thread and then emits finished(). main()
// connects finished() to QCoreApplication::quit and SIGTERM/SIGINT to quit().
class DesktopApp final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DesktopApp)
    Q_PROPERTY(int raiseCount READ raiseCount NOTIFY raised)

public:
    enum class Mode { Idle, Probing, InProcess, Attached, HandedOver };
    Q_ENUM(Mode)

    explicit DesktopApp(host::DataLocation location, QObject *parent = nullptr);
    ~DesktopApp() override;

    void start(bool showWindow = true); // asks the channel, then runs, attaches or hands over
    bool isQuitting() const { return m_quitting; }
    Mode mode() const { return m_mode; }
    qint64 attachedPid() const { return m_attachedPid; } // the serve attached to (Attached)
    int raiseCount() const { return m_raises; } // how often a second launch brought this window forward

    host::Host &host() { return *m_host; } // runs only in InProcess mode
    control::GatewayLink &link() { return *m_link; }
    MainWindow &window() { return *m_window; }
    TrayIcon &tray() { return *m_tray; }
    UsageSummary &summary() { return *m_summary; }

public slots:
    void quit();
    void showWindow();
    void startInProcess(); // the gateway in this app (also after an attached serve went away)

signals:
    void modeChanged(sy::gui::DesktopApp::Mode mode);
    void handedOver(qint64 pid); // the window of process `pid` came forward; finished() follows
    void raised(); // a second launch brought this window forward
    void finished(); // the host stopped and its thread ended (or none ran): the process may exit

private:
    void setMode(Mode mode);
    void onLinked();
    void onLinkFailed(sy::control::ControlClient::Error error, const QString &reason);
    void onUnlinked();
    void onLinkStatus();
    void onRaiseRequested();
    void onHostStateChanged(sy::host::Host::State state);
    void onStartFailed(const QString &reason, sy::host::Host::StartError error);
    void onStopped();
    void onHiddenToTray();
    void showUi();
    void finishQuit();

    const host::DataLocation m_location;
    QThread m_thread;
    host::Host *m_host; // lives on m_thread; deleted there when the thread ends
    std::unique_ptr<control::GatewayLink> m_link;
    std::unique_ptr<UsageSummary> m_summary;
    std::unique_ptr<TrayIcon> m_tray;
    std::unique_ptr<MainWindow> m_window;
    host::Host::State m_state = host::Host::State::Stopped; // the in-process host's
    Mode m_mode = Mode::Idle;
    qint64 m_attachedPid = 0;
    int m_raises = 0;
    bool m_show = true;
    bool m_uiShown = false;
    bool m_reprobed = false;
    bool m_threadStarted = false;
    bool m_quitting = false;
    bool m_finished = false;
};

} // namespace sy::gui
