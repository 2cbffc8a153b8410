// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "desktopapp.h"

#include <QApplication>
#include <QSettings>

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
}

DesktopApp::DesktopApp(host::DataLocation location, QObject *parent)
    : QObject(parent), m_host(new host::Host(std::move(location)))
{
    initResources();
    m_thread.setObjectName(QStringLiteral("host"));
    m_host->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_host, &QObject::deleteLater);

    m_summary = std::make_unique<UsageSummary>(*m_host);
    m_tray = std::make_unique<TrayIcon>(*m_summary);
    m_window = std::make_unique<MainWindow>(*m_host, *m_summary);
    m_window->setTrayAvailable(TrayIcon::isSystemTrayAvailable());

    // Requests to the host cross to its thread queued; its answers come back queued.
    connect(m_window.get(), &MainWindow::pauseRequested, m_host, &host::Host::setPaused);
    connect(m_tray.get(), &TrayIcon::pauseRequested, m_host, &host::Host::setPaused);
    connect(m_window.get(), &MainWindow::quitRequested, this, &DesktopApp::quit);
    connect(m_window.get(), &MainWindow::hiddenToTray, this, &DesktopApp::onHiddenToTray);
    connect(m_tray.get(), &TrayIcon::quitRequested, this, &DesktopApp::quit);
    connect(m_tray.get(), &TrayIcon::openRequested, this, &DesktopApp::showWindow);
    connect(m_host, &host::Host::stateChanged, this, &DesktopApp::onStateChanged);
    connect(m_host, &host::Host::stopped, this, &DesktopApp::onStopped);
}

DesktopApp::~DesktopApp()
{
    // Without quit() first (tests, early exits): the host stops in its destructor.
    m_window->shutdown();
    m_window.reset();
    m_tray.reset();
    m_summary.reset();
    m_thread.quit();
    m_thread.wait();
}

void DesktopApp::start(bool show)
{
    if (auto *app = qobject_cast<QApplication *>(QCoreApplication::instance()))
        app->setQuitOnLastWindowClosed(false); // the tray and quit() decide when to exit
    m_state = host::Host::State::Starting;
    m_thread.start();
    QMetaObject::invokeMethod(m_host, &host::Host::start, Qt::QueuedConnection);
    if (!TrayIcon::isSystemTrayAvailable()) {
        qCInfo(lcGui) << "no system tray on this desktop: closing the window quits";
    }
    m_tray->show();
    if (show)
        showWindow();
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

void DesktopApp::onStateChanged(sy::host::Host::State state)
{
    m_state = state;
    m_tray->setState(state, m_host->url());
    if (m_quitting && (state == host::Host::State::Stopped || state == host::Host::State::Failed))
        finishQuit();
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
                        tr("The gateway keeps serving. Quit from this icon's menu to stop it."));
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
