// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

#include "host/host.h"

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace sy::gui {

class UsageSummary;

// The tray icon: the gateway's state at a glance (serving, paused, error), today's spend
// and requests in the tooltip, and a menu with Open, Pause gateway / Resume and Quit.
// Where the desktop has no tray, the menu's actions still exist (the window's menu and the
// tests use the same ones) and nothing is shown.
class TrayIcon final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayIcon)

public:
    explicit TrayIcon(UsageSummary &summary, QObject *parent = nullptr);
    ~TrayIcon() override;

    static bool isSystemTrayAvailable();
    void show(); // shows the icon where there is a tray
    void setState(host::Host::State state, const QString &url);
    void showMessage(const QString &title, const QString &message);

    QString toolTip() const;
    QString iconName() const { return m_iconName; } // the resource shown, for tests
    QAction *openAction() const { return m_open; }
    QAction *pauseAction() const { return m_pause; }
    QAction *quitAction() const { return m_quit; }

signals:
    void openRequested();
    void pauseRequested(bool paused);
    void quitRequested();

private:
    void onActivated(int reason);
    void onPauseTriggered();
    void updateToolTip();

    UsageSummary &m_summary;
    QSystemTrayIcon *m_icon;
    QMenu *m_menu;
    QAction *m_open;
    QAction *m_pause;
    QAction *m_quit;
    host::Host::State m_state = host::Host::State::Starting;
    QString m_url;
    QString m_iconName;
};

} // namespace sy::gui
