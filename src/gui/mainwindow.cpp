// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include <QCloseEvent>
#include <QIcon>
#include <QLabel>
#include <QSettings>

#include "dashboardpage.h"
#include "live/recentrequests.h"
#include "requestspage.h"

#include "ui_mainwindow.h"

namespace sy::gui {

MainWindow::MainWindow(host::Host &host, UsageSummary &summary, QWidget *parent)
    : QMainWindow(parent), m_host(host), m_ui(std::make_unique<Ui::MainWindow>()),
      m_dashboard(new DashboardPage(host, summary)), m_requests(new RequestsPage(host.recentRequests())),
      m_modeLabel(new QLabel(this)), m_stateLabel(new QLabel(this)), m_addressLabel(new QLabel(this)),
      m_trayLabel(new QLabel(this))
{
    m_ui->setupUi(this);
    setWindowIcon(QIcon(QStringLiteral(":/icons/switchyard.svg")));
    m_dashboard->setObjectName(QStringLiteral("dashboardPage"));
    m_requests->setObjectName(QStringLiteral("requestsPage"));
    m_requests->setHistory(host.location().dataDir);
    // The list's rows and the stack's pages are added together, so they stay in step.
    const QList<std::pair<QString, QWidget *>> pages {{tr("Dashboard"), m_dashboard}, {tr("Requests"), m_requests}};
    for (const auto &[title, page] : pages) {
        m_ui->pageList->addItem(title);
        m_ui->pages->addWidget(page);
    }
    connect(m_ui->pageList, &QListWidget::currentRowChanged, m_ui->pages, &QStackedWidget::setCurrentIndex);
    connect(m_ui->actionDashboard, &QAction::triggered, this, [this] { showPage(DashboardIndex); });
    connect(m_ui->actionRequests, &QAction::triggered, this, [this] { showPage(RequestsIndex); });
    m_ui->pageList->setCurrentRow(DashboardIndex);

    m_modeLabel->setObjectName(QStringLiteral("modeLabel"));
    m_stateLabel->setObjectName(QStringLiteral("stateLabel"));
    m_addressLabel->setObjectName(QStringLiteral("addressLabel"));
    m_addressLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Attaching to a running `serve` comes with the control channel; until then the gateway
    // always runs in this process.
    m_modeLabel->setText(tr("Gateway in this app"));
    statusBar()->addWidget(m_stateLabel);
    m_trayLabel->setObjectName(QStringLiteral("trayLabel"));
    statusBar()->addPermanentWidget(m_trayLabel);
    statusBar()->addPermanentWidget(m_modeLabel);
    statusBar()->addPermanentWidget(m_addressLabel);

    QSettings settings;
    m_ui->actionCloseToTray->setChecked(settings.value(QLatin1String(kCloseToTrayKey), true).toBool());
    connect(m_ui->actionCloseToTray, &QAction::toggled, this, &MainWindow::onCloseToTrayToggled);
    connect(m_ui->actionPause, &QAction::toggled, this, &MainWindow::onPauseToggled);
    connect(m_ui->actionQuit, &QAction::triggered, this, &MainWindow::quitRequested);

    connect(&m_host, &host::Host::stateChanged, this, &MainWindow::onStateChanged);
    connect(&m_host, &host::Host::started, this, &MainWindow::updateStatus);
    connect(&m_host, &host::Host::startFailed, this, &MainWindow::onStartFailed);
    connect(&m_host.events(), &host::EventLog::added, this, &MainWindow::onEvent);
    setTrayAvailable(false);
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::showPage(Page page)
{
    m_ui->pageList->setCurrentRow(page);
}

void MainWindow::setTrayAvailable(bool available)
{
    m_trayAvailable = available;
    m_ui->actionCloseToTray->setEnabled(available);
    m_ui->actionCloseToTray->setToolTip(available ? QString()
                                                  : tr("This desktop shows no tray icons: closing the window quits"));
    m_trayLabel->setText(available ? QString() : tr("No tray: closing the window quits"));
    m_trayLabel->setVisible(!available);
}

bool MainWindow::closesToTray() const
{
    return m_trayAvailable && m_ui->actionCloseToTray->isChecked();
}

void MainWindow::showBanner(const QString &text, host::EventLog::Level level)
{
    // Colours that keep their contrast in light and dark palettes alike.
    const QString background = level == host::EventLog::Level::Error ? QStringLiteral("#b3261e")
        : level == host::EventLog::Level::Warning                    ? QStringLiteral("#8a5a00")
                                                                     : QStringLiteral("#2f5fd0");
    m_ui->bannerLabel->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; }").arg(background));
    m_ui->bannerLabel->setText(text);
    m_ui->bannerLabel->setVisible(!text.isEmpty());
}

void MainWindow::shutdown()
{
    if (m_shutDown)
        return; // the host may be gone by now
    m_shutDown = true;
    m_dashboard->shutdown();
    m_requests->shutdown();
    disconnect(&m_host.events(), nullptr, this, nullptr);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (closesToTray() || m_shutDown) {
        event->accept(); // hidden; the app keeps running (quitOnLastWindowClosed is off)
        if (!m_shutDown)
            emit hiddenToTray();
        return;
    }
    event->ignore();
    emit quitRequested();
}

void MainWindow::onStateChanged(sy::host::Host::State state)
{
    const QSignalBlocker blocker(m_ui->actionPause);
    m_ui->actionPause->setChecked(state == host::Host::State::Paused);
    m_ui->actionPause->setEnabled(state == host::Host::State::Serving || state == host::Host::State::Paused);
    if (state == host::Host::State::Serving && m_ui->bannerLabel->property("startFailure").toBool()) {
        m_ui->bannerLabel->setProperty("startFailure", false);
        showBanner({}, host::EventLog::Level::Info);
    }
    updateStatus();
}

void MainWindow::onStartFailed(const QString &reason)
{
    showBanner(tr("The gateway could not start: %1").arg(reason), host::EventLog::Level::Error);
    m_ui->bannerLabel->setProperty("startFailure", true);
    updateStatus();
}

void MainWindow::onEvent(const sy::host::EventLog::Event &event)
{
    // Warnings and errors are what the user must act on (a locked keychain, a refused
    // config edit); the rest stays in the event log.
    if (event.level != host::EventLog::Level::Info)
        showBanner(event.message, event.level);
}

void MainWindow::onPauseToggled(bool paused)
{
    emit pauseRequested(paused);
}

void MainWindow::onCloseToTrayToggled(bool enabled)
{
    QSettings().setValue(QLatin1String(kCloseToTrayKey), enabled);
}

void MainWindow::updateStatus()
{
    const QString url = m_host.url();
    switch (m_host.state()) {
    case host::Host::State::Starting:
        m_stateLabel->setText(tr("Starting…"));
        break;
    case host::Host::State::Serving:
        m_stateLabel->setText(tr("Serving"));
        break;
    case host::Host::State::Paused:
        m_stateLabel->setText(tr("Paused: new requests get 503"));
        break;
    case host::Host::State::Stopping:
        m_stateLabel->setText(tr("Stopping: requests in flight finish"));
        break;
    case host::Host::State::Stopped:
        m_stateLabel->setText(tr("Stopped"));
        break;
    case host::Host::State::Failed:
        m_stateLabel->setText(tr("Not serving"));
        break;
    }
    m_addressLabel->setText(url.isEmpty() ? QString() : tr("Listening on %1").arg(url));
}

} // namespace sy::gui
