// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "watchedfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>

namespace sy {

namespace {
constexpr int kSettleMs = 150;
} // namespace

WatchedFile::WatchedFile(QString path, QObject *parent)
    : QObject(parent), m_path(std::move(path)), m_watcher(new QFileSystemWatcher(this))
{
    QFile file(m_path);
    m_existed = file.open(QIODevice::ReadOnly);
    if (m_existed) {
        m_lastContent = file.readAll();
        m_watcher->addPath(m_path);
    }
    const QString folder = QFileInfo(m_path).absolutePath();
    QDir().mkpath(folder);
    m_watcher->addPath(folder);
    m_settle.setSingleShot(true);
    m_settle.setInterval(kSettleMs);
    connect(&m_settle, &QTimer::timeout, this, &WatchedFile::check);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, &m_settle, qOverload<>(&QTimer::start));
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, &m_settle, qOverload<>(&QTimer::start));
}

void WatchedFile::check()
{
    QFile file(m_path);
    const bool exists = file.open(QIODevice::ReadOnly);
    if (exists && !m_watcher->files().contains(m_path))
        m_watcher->addPath(m_path); // a new file replaced the old one: watch it again
    const QByteArray content = exists ? file.readAll() : QByteArray();
    if (exists == m_existed && content == m_lastContent)
        return; // another file in the folder changed
    m_existed = exists;
    m_lastContent = content;
    emit changed(content);
}

} // namespace sy
