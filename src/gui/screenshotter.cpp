// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "screenshotter.h"

#include <QApplication>
#include <QDir>
#include <QPalette>
#include <QPixmap>
#include <QStyle>
#include <QStyleFactory>
#include <QTableView>
#include <QTimer>

#include "dashboardpage.h"
#include "guilog.h"
#include "mainwindow.h"
#include "requestspage.h"

namespace sy::gui {

namespace {
QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1f, 0x21, 0x24);
    const QColor text(0xe8, 0xea, 0xed);
    const QColor disabled(0x8a, 0x8d, 0x91);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2d));
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x6f, 0xd8));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    p.setColor(QPalette::PlaceholderText, disabled);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}
} // namespace

Screenshotter::Screenshotter(MainWindow &window, QString directory, QObject *parent)
    : QObject(parent), m_window(window), m_directory(std::move(directory))
{ }

void Screenshotter::start(int afterMs)
{
    QTimer::singleShot(afterMs, this, &Screenshotter::shoot);
}

void Screenshotter::shoot()
{
    if (!QDir().mkpath(m_directory)) {
        qCWarning(lcGui) << "cannot create the screenshot directory";
        emit finished(false);
        return;
    }
    // Fusion draws the same on every desktop, so the shots do not depend on the machine.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    const QList<std::pair<QString, QPalette>> themes {
        {QStringLiteral("light"), QApplication::style()->standardPalette()}, {QStringLiteral("dark"), darkPalette()}};
    const QList<std::pair<QString, MainWindow::Page>> pages {{QStringLiteral("dashboard"), MainWindow::DashboardIndex},
                                                             {QStringLiteral("requests"), MainWindow::RequestsIndex}};
    bool ok = true;
    for (const auto &[theme, palette] : themes) {
        QApplication::setPalette(palette);
        for (const auto &[name, page] : pages) {
            m_window.showPage(page);
            // A request selected, so the shot shows the detail pane filled in.
            if (auto *table = m_window.requests()->findChild<QTableView *>(QStringLiteral("requestsTable")))
                table->selectRow(0);
            m_window.dashboard()->refresh();
            QApplication::processEvents(); // layouts and palette changes settle
            m_window.repaint();
            const QString path = QDir(m_directory).filePath(QStringLiteral("%1-%2.png").arg(name, theme));
            if (m_window.grab().save(path)) {
                m_saved << path;
            } else {
                qCWarning(lcGui) << "cannot save" << path;
                ok = false;
            }
        }
    }
    m_window.showPage(MainWindow::DashboardIndex);
    emit finished(ok);
}

} // namespace sy::gui
