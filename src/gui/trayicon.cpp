// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "trayicon.h"

#include <QAction>
#include <QIcon>
#include <QMenu>
#include <QSystemTrayIcon>

#include "format.h"
#include "usagesummary.h"

namespace sy::gui {

TrayIcon::TrayIcon(UsageSummary &summary, QObject *parent)
    : QObject(parent), m_summary(summary), m_icon(new QSystemTrayIcon(this)), m_menu(new QMenu),
      m_open(new QAction(tr("&Open Switchyard"), this)), m_pause(new QAction(tr("&Pause gateway"), this)),
      m_quit(new QAction(tr("&Quit"), this))
{
    m_open->setObjectName(QStringLiteral("trayOpenAction"));
    m_pause->setObjectName(QStringLiteral("trayPauseAction"));
    m_quit->setObjectName(QStringLiteral("trayQuitAction"));
    m_menu->setObjectName(QStringLiteral("trayMenu"));
    m_menu->addAction(m_open);
    m_menu->addSeparator();
    m_menu->addAction(m_pause);
    m_menu->addSeparator();
    m_menu->addAction(m_quit);
    m_icon->setContextMenu(m_menu);
    connect(m_open, &QAction::triggered, this, &TrayIcon::openRequested);
    connect(m_pause, &QAction::triggered, this, &TrayIcon::onPauseTriggered);
    connect(m_quit, &QAction::triggered, this, &TrayIcon::quitRequested);
    connect(m_icon, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) { onActivated(int(reason)); });
    connect(&m_summary, &UsageSummary::changed, this, &TrayIcon::updateToolTip);
    setState(host::Host::State::Starting, {});
}

TrayIcon::~TrayIcon()
{
    delete m_menu; // a QMenu has no QObject parent here: QSystemTrayIcon does not own it
}

bool TrayIcon::isSystemTrayAvailable()
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayIcon::show()
{
    if (isSystemTrayAvailable())
        m_icon->show();
}

void TrayIcon::setState(host::Host::State state, const QString &url)
{
    m_state = state;
    if (!url.isEmpty())
        m_url = url;
    switch (state) {
    case host::Host::State::Paused:
        m_iconName = QStringLiteral(":/icons/tray-paused.svg");
        break;
    case host::Host::State::Failed:
    case host::Host::State::Stopped:
        m_iconName = QStringLiteral(":/icons/tray-error.svg");
        break;
    default:
        m_iconName = QStringLiteral(":/icons/tray-serving.svg");
        break;
    }
    m_icon->setIcon(QIcon(m_iconName));
    const bool paused = state == host::Host::State::Paused;
    m_pause->setText(paused ? tr("&Resume gateway") : tr("&Pause gateway"));
    m_pause->setEnabled(state == host::Host::State::Serving || paused);
    updateToolTip();
}

void TrayIcon::showMessage(const QString &title, const QString &message)
{
    if (m_icon->isVisible() && QSystemTrayIcon::supportsMessages())
        m_icon->showMessage(title, message, QIcon(QStringLiteral(":/icons/switchyard.svg")), 5000);
}

QString TrayIcon::toolTip() const
{
    return m_icon->toolTip();
}

void TrayIcon::onActivated(int reason)
{
    if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
        emit openRequested();
}

void TrayIcon::onPauseTriggered()
{
    emit pauseRequested(m_state != host::Host::State::Paused);
}

void TrayIcon::updateToolTip()
{
    QString state;
    switch (m_state) {
    case host::Host::State::Serving:
        state = tr("Serving on %1").arg(m_url);
        break;
    case host::Host::State::Paused:
        state = tr("Paused: new requests get 503");
        break;
    case host::Host::State::Failed:
        state = tr("Not serving: the gateway could not start");
        break;
    case host::Host::State::Stopping:
        state = tr("Stopping");
        break;
    case host::Host::State::Stopped:
        state = tr("Stopped");
        break;
    case host::Host::State::Starting:
        state = tr("Starting");
        break;
    }
    QString text = tr("Switchyard — %1").arg(state);
    if (m_summary.isLoaded()) {
        const UsageSummary::Totals today = m_summary.today();
        text += u'\n'
            + tr("Today: %1, requests: %2").arg(Format::money(today.costMicroUsd), Format::count(today.requests));
    }
    m_icon->setToolTip(text);
}

} // namespace sy::gui
