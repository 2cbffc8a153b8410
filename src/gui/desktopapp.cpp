// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "desktopapp.h"

#include <QApplication>
#include <QMetaEnum>
#include <QSettings>

#include "control/gatewaylink.h"
#include "guilog.h"
#include "mainwindow.h"
#include "trayicon.h"
#include "usagesummary.h"

// Resources of a static library are registered by name, outside any namespace.
static void initResources()
{
    Q_INIT_RESOURCE(gui);
}

namespace sy::gui {

namespace {
constexpr auto kTrayNoticeShownKey = "window/trayNoticeShown";

// The channel's state names are Host::State's in lower case.
host::Host::State stateFromName(const QString &name)
{
    if (name.isEmpty())
        return host::Host::State::Starting;
    QByteArray key = name.toLatin1();
    key[0] = char(QChar::toUpper(uint(key[0])));
    bool ok = false;
    const int value = QMetaEnum::fromType<host::Host::State>().keyToValue(key.constData(), &ok);
    return ok ? host::Host::State(value) : host::Host::State::Starting;
}
} // namespace

DesktopApp::DesktopApp(host::DataLocation location, QObject *parent)
    : QObject(parent), m_location(location), m_host(new host::Host(std::move(location))),
      m_link(std::make_unique<control::GatewayLink>())
{
    initResources();
    qRegisterMetaType<sy::gui::DesktopApp::Mode>();
    m_thread.setObjectName(QStringLiteral("host"));
    // A second launch's "raise" arrives on the host's thread; the window comes forward on this one.
    m_host->setRaiseHandler(
        [this] { QMetaObject::invokeMethod(this, &DesktopApp::onRaiseRequested, Qt::QueuedConnection); });
    m_host->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_host, &QObject::deleteLater);

    m_summary = std::make_unique<UsageSummary>(*m_link);
    m_tray = std::make_unique<TrayIcon>(*m_summary);
    m_window = std::make_unique<MainWindow>(*m_link, m_location, *m_summary);
    m_window->setTrayAvailable(TrayIcon::isSystemTrayAvailable());

    // One code path: pause and resume go over the channel, to this process's host or a serve's.
    connect(m_window.get(), &MainWindow::pauseRequested, m_link.get(), &control::GatewayLink::setPaused);
    connect(m_tray.get(), &TrayIcon::pauseRequested, m_link.get(), &control::GatewayLink::setPaused);
    connect(m_window.get(), &MainWindow::quitRequested, this, &DesktopApp::quit);
    connect(m_window.get(), &MainWindow::hiddenToTray, this, &DesktopApp::onHiddenToTray);
    connect(m_window.get(), &MainWindow::startHereRequested, this, &DesktopApp::startInProcess);
    connect(m_tray.get(), &TrayIcon::quitRequested, this, &DesktopApp::quit);
    connect(m_tray.get(), &TrayIcon::openRequested, this, &DesktopApp::showWindow);
    connect(m_link.get(), &control::GatewayLink::linked, this, &DesktopApp::onLinked);
    connect(m_link.get(), &control::GatewayLink::linkFailed, this, &DesktopApp::onLinkFailed);
    connect(m_link.get(), &control::GatewayLink::unlinked, this, &DesktopApp::onUnlinked);
    connect(m_link.get(), &control::GatewayLink::statusChanged, this, &DesktopApp::onLinkStatus);
    connect(m_host, &host::Host::stateChanged, this, &DesktopApp::onHostStateChanged);
    connect(m_host, &host::Host::startFailed, this, &DesktopApp::onStartFailed);
    connect(m_host, &host::Host::stopped, this, &DesktopApp::onStopped);
    // The host's channel is open from the moment it holds the data dir: the window reads it.
    connect(m_host, &host::Host::controlChannelOpened, this, [this] {
        if (m_mode == Mode::InProcess && !m_quitting)
            m_link->connectToDataDir(m_location.dataDir);
    });
}

DesktopApp::~DesktopApp()
{
    // Without quit() first (tests, early exits): the host stops in its destructor.
    m_window->shutdown();
    m_window.reset();
    m_tray.reset();
    m_summary.reset();
    m_link.reset();
    if (m_threadStarted) {
        m_thread.quit();
        m_thread.wait();
    } else {
        delete m_host; // never ran: its thread never started
    }
}

void DesktopApp::start(bool show)
{
    if (auto *app = qobject_cast<QApplication *>(QCoreApplication::instance()))
        app->setQuitOnLastWindowClosed(false); // the tray and quit() decide when to exit
    m_show = show;
    // Whoever answers on the data dir's channel runs the gateway; nobody: this app will.
    setMode(Mode::Probing);
    m_link->connectToDataDir(m_location.dataDir);
}

void DesktopApp::setMode(Mode mode)
{
    if (m_mode == mode)
        return;
    m_mode = mode;
    emit modeChanged(mode);
}

void DesktopApp::showUi()
{
    if (m_uiShown || m_quitting)
        return;
    m_uiShown = true;
    if (!TrayIcon::isSystemTrayAvailable())
        qCInfo(lcGui) << "no system tray on this desktop: closing the window quits";
    m_tray->show();
    if (m_show)
        showWindow();
}

void DesktopApp::startInProcess()
{
    if (m_quitting || m_mode == Mode::InProcess)
        return;
    setMode(Mode::InProcess);
    m_attachedPid = 0;
    m_window->setMode(tr("Gateway in this app"));
    m_window->showBanner({}, host::EventLog::Level::Info);
    if (!m_threadStarted) {
        m_window->watchHost(*m_host);
        m_threadStarted = true;
        m_thread.start();
    }
    m_state = host::Host::State::Starting;
    QMetaObject::invokeMethod(m_host, &host::Host::start, Qt::QueuedConnection);
    showUi();
}

void DesktopApp::onLinked()
{
    if (m_mode != Mode::Probing)
        return; // our own host's channel
    if (m_link->isApp()) {
        // Another window runs on this data dir: bring it forward and end here.
        setMode(Mode::HandedOver);
        const qint64 pid = m_link->pid();
        qCInfo(lcGui) << "another Switchyard window runs on this data dir (pid" << pid << "): handing over";
        connect(m_link.get(), &control::GatewayLink::raiseAnswered, this, [this, pid] {
            m_link->disconnectFromGateway();
            emit handedOver(pid);
            m_quitting = true;
            finishQuit();
        });
        m_link->raise();
        return;
    }
    setMode(Mode::Attached);
    m_attachedPid = m_link->pid();
    qCInfo(lcGui) << "attached to switchyard serve, pid" << m_attachedPid;
    m_window->setMode(tr("Attached to switchyard serve (pid %1)").arg(m_attachedPid));
    showUi();
}

void DesktopApp::onLinkFailed(sy::control::ControlClient::Error error, const QString &reason)
{
    if (m_mode == Mode::Probing) {
        if (error != control::ControlClient::Error::NotRunning)
            qCWarning(lcGui) << "the data dir's control channel did not answer:" << reason;
        // Nobody serves this data dir (or nobody answers): the gateway runs here. A gateway
        // that holds the data dir without answering makes the host's start fail as busy.
        startInProcess();
        return;
    }
    qCWarning(lcGui) << "cannot read the gateway's control channel:" << reason;
}

void DesktopApp::onUnlinked()
{
    if (m_quitting)
        return;
    if (m_mode == Mode::Attached) {
        m_tray->setState(host::Host::State::Failed, {});
        m_window->showGatewayGone(tr("The switchyard serve this window was attached to (pid %1) has stopped. "
                                     "Nothing serves requests on this data dir now.")
                                      .arg(m_attachedPid));
    }
}

void DesktopApp::onLinkStatus()
{
    if (m_quitting || !m_link->isLinked())
        return;
    m_tray->setState(stateFromName(m_link->state()), m_link->url());
}

void DesktopApp::onRaiseRequested()
{
    ++m_raises;
    qCInfo(lcGui) << "a second launch asked for this window";
    if (!m_quitting) {
        m_show = true;
        showWindow();
    }
    emit raised();
}

void DesktopApp::showWindow()
{
    if (m_quitting)
        return;
    m_window->show();
    m_window->setWindowState((m_window->windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    m_window->raise();
    m_window->activateWindow();
}

void DesktopApp::quit()
{
    if (m_quitting)
        return;
    m_quitting = true;
    if (m_mode != Mode::InProcess) {
        // Attached (or never started): the window closes; an attached serve keeps serving.
        qCInfo(lcGui) << "quitting the window";
        m_link->disconnectFromGateway();
        finishQuit();
        return;
    }
    qCInfo(lcGui) << "quitting: stopping the gateway";
    m_tray->setState(host::Host::State::Stopping, {});
    if (m_state == host::Host::State::Stopped || m_state == host::Host::State::Failed) {
        finishQuit();
        return;
    }
    // Like SIGTERM to serve: no new requests, those in flight finish, rows committed; then
    // the host says stopped().
    QMetaObject::invokeMethod(m_host, &host::Host::stop, Qt::QueuedConnection);
}

void DesktopApp::onHostStateChanged(sy::host::Host::State state)
{
    m_state = state;
    if (m_quitting && (state == host::Host::State::Stopped || state == host::Host::State::Failed))
        finishQuit();
}

void DesktopApp::onStartFailed(const QString &reason, sy::host::Host::StartError error)
{
    m_tray->setState(host::Host::State::Failed, {});
    if (error == host::Host::StartError::Busy && !m_reprobed && !m_quitting) {
        // A serve took the data dir since we asked: attach to it instead.
        qCInfo(lcGui) << "the data dir became busy:" << reason << "- asking its channel again";
        m_reprobed = true;
        setMode(Mode::Probing);
        m_link->connectToDataDir(m_location.dataDir);
    }
}

void DesktopApp::onStopped()
{
    if (m_quitting)
        finishQuit();
}

void DesktopApp::onHiddenToTray()
{
    QSettings settings;
    if (settings.value(QLatin1String(kTrayNoticeShownKey), false).toBool())
        return;
    settings.setValue(QLatin1String(kTrayNoticeShownKey), true);
    m_tray->showMessage(tr("Switchyard is still running"),
                        m_mode == Mode::Attached
                            ? tr("The window is in the tray; the switchyard serve it shows keeps serving.")
                            : tr("The gateway keeps serving. Quit from this icon's menu to stop it."));
}

void DesktopApp::finishQuit()
{
    if (m_finished)
        return;
    m_finished = true;
    m_window->shutdown();
    m_window->hide();
    if (!m_thread.isRunning()) { // never started
        QMetaObject::invokeMethod(this, &DesktopApp::finished, Qt::QueuedConnection);
        return;
    }
    connect(&m_thread, &QThread::finished, this, &DesktopApp::finished, Qt::QueuedConnection);
    m_thread.quit();
}

} // namespace sy::gui
