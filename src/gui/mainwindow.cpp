// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include <tuple>

#include <QCloseEvent>
#include <QIcon>
#include <QLabel>
#include <QListWidgetItem>
#include <QPushButton>
#include <QSettings>

#include "control/gatewaylink.h"
#include "dashboardpage.h"
#include "live/recentrequests.h"
#include "requestspage.h"

#include "ui_mainwindow.h"

namespace sy::gui {

MainWindow::MainWindow(control::GatewayLink &link, host::DataLocation location, UsageSummary &summary, QWidget *parent)
    : QMainWindow(parent), m_link(link), m_ui(std::make_unique<Ui::MainWindow>()),
      m_dashboard(new DashboardPage(link, location, summary)), m_requests(new RequestsPage(link.recentRequests())),
      m_modeLabel(new QLabel(this)), m_stateLabel(new QLabel(this)), m_addressLabel(new QLabel(this)),
      m_trayLabel(new QLabel(this)), m_startHereButton(new QPushButton(tr("Start the gateway here"), this))
{
    m_ui->setupUi(this);
    setWindowIcon(QIcon(QStringLiteral(":/icons/switchyard.svg")));
    m_dashboard->setObjectName(QStringLiteral("dashboardPage"));
    m_requests->setObjectName(QStringLiteral("requestsPage"));
    m_requests->setHistory(location.dataDir); // read-only: the database of this app's or a serve's gateway
    // The list's rows and the stack's pages are added together, so they stay in step.
    const QList<std::tuple<QString, QString, QWidget *>> pages {
        {tr("Dashboard"), QStringLiteral(":/icons/page-dashboard.svg"), m_dashboard},
        {tr("Requests"), QStringLiteral(":/icons/page-requests.svg"), m_requests}};
    for (const auto &[title, icon, page] : pages) {
        m_ui->pageList->addItem(new QListWidgetItem(QIcon(icon), title));
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
    m_startHereButton->setObjectName(QStringLiteral("startHereButton"));
    m_startHereButton->setVisible(false);
    connect(m_startHereButton, &QPushButton::clicked, this, [this] {
        m_startHereButton->setVisible(false);
        emit startHereRequested();
    });
    statusBar()->addWidget(m_stateLabel);
    statusBar()->addWidget(m_startHereButton);
    m_trayLabel->setObjectName(QStringLiteral("trayLabel"));
    statusBar()->addPermanentWidget(m_trayLabel);
    statusBar()->addPermanentWidget(m_modeLabel);
    statusBar()->addPermanentWidget(m_addressLabel);

    QSettings settings;
    m_ui->actionCloseToTray->setChecked(settings.value(QLatin1String(kCloseToTrayKey), true).toBool());
    connect(m_ui->actionCloseToTray, &QAction::toggled, this, &MainWindow::onCloseToTrayToggled);
    connect(m_ui->actionPause, &QAction::toggled, this, &MainWindow::onPauseToggled);
    connect(m_ui->actionQuit, &QAction::triggered, this, &MainWindow::quitRequested);

    connect(&m_link, &control::GatewayLink::statusChanged, this, &MainWindow::onLinkStatus);
    connect(&m_link, &control::GatewayLink::linked, this, &MainWindow::onLinkStatus);
    connect(&m_link, &control::GatewayLink::unlinked, this, &MainWindow::onLinkStatus);
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
    // Event messages start in lower case (they also end up in logs); a banner is a sentence.
    QString sentence = text;
    if (!sentence.isEmpty())
        sentence[0] = sentence.at(0).toUpper();
    m_ui->bannerLabel->setText(sentence);
    m_ui->bannerLabel->setVisible(!text.isEmpty());
}

void MainWindow::watchHost(host::Host &host)
{
    m_host = &host;
    connect(&host, &host::Host::startFailed, this, &MainWindow::onStartFailed);
    connect(&host.events(), &host::EventLog::added, this, &MainWindow::onEvent);
}

void MainWindow::setMode(const QString &text)
{
    m_modeLabel->setText(text);
}

void MainWindow::showGatewayGone(const QString &text)
{
    showBanner(text, host::EventLog::Level::Warning);
    m_startHereButton->setVisible(true);
}

void MainWindow::shutdown()
{
    if (m_shutDown)
        return; // the host may be gone by now
    m_shutDown = true;
    m_dashboard->shutdown();
    m_requests->shutdown();
    disconnect(&m_link, nullptr, this, nullptr);
    if (m_host) {
        disconnect(m_host, nullptr, this, nullptr);
        disconnect(&m_host->events(), nullptr, this, nullptr);
    }
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

void MainWindow::onLinkStatus()
{
    const QString state = m_link.isLinked() ? m_link.state() : QString();
    const QSignalBlocker blocker(m_ui->actionPause);
    m_ui->actionPause->setChecked(state == u"paused");
    m_ui->actionPause->setEnabled(state == u"serving" || state == u"paused");
    if (state == u"serving" && m_ui->bannerLabel->property("startFailure").toBool()) {
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
    const QString url = m_link.isLinked() ? m_link.url() : QString();
    const QString state = m_link.isLinked() ? m_link.state() : QString();
    if (!m_link.isLinked())
        m_stateLabel->setText(m_link.pid() == 0 && m_stateLabel->text().isEmpty() ? tr("Starting…")
                                                                                  : tr("Not serving"));
    else if (state == u"serving")
        m_stateLabel->setText(tr("Serving"));
    else if (state == u"paused")
        m_stateLabel->setText(tr("Paused: new requests get 503"));
    else if (state == u"stopping")
        m_stateLabel->setText(tr("Stopping: requests in flight finish"));
    else if (state == u"stopped")
        m_stateLabel->setText(tr("Stopped"));
    else if (state == u"failed")
        m_stateLabel->setText(tr("Not serving"));
    else
        m_stateLabel->setText(tr("Starting…"));
    m_addressLabel->setText(url.isEmpty() ? QString() : tr("Listening on %1").arg(url));
}

} // namespace sy::gui
