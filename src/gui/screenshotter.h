// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

namespace sy::gui {

class MainWindow;

// `switchyard --screenshot DIR`: after a delay (traffic may flow meanwhile), saves each
// page of the window as DIR/<page>-light.png and DIR/<page>-dark.png, grabbed after a real
// paint with a light and then a dark palette, and emits finished(). What scripts/screenshots.sh
// uses for docs/screenshots/; the shots show what a new user sees.
class Screenshotter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Screenshotter)

public:
    Screenshotter(MainWindow &window, QString directory, QObject *parent = nullptr);

    void start(int afterMs);
    QStringList saved() const { return m_saved; }

signals:
    void finished(bool ok);

private:
    void shoot();

    MainWindow &m_window;
    QString m_directory;
    QStringList m_saved;
};

} // namespace sy::gui
