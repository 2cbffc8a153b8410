// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "configwatcher.h"

#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>

#include "configloader.h"

namespace sy::config {

namespace {
constexpr int kSettleMs = 150;
} // namespace

ConfigWatcher::ConfigWatcher(QString path, QObject *parent)
    : QObject(parent), m_path(std::move(path)), m_watcher(new QFileSystemWatcher(this))
{
    QFile file(m_path);
    if (file.open(QIODevice::ReadOnly))
        m_lastContent = file.readAll();
    m_watcher->addPath(QFileInfo(m_path).absolutePath());
    if (QFileInfo::exists(m_path))
        m_watcher->addPath(m_path);
    m_settle.setSingleShot(true);
    m_settle.setInterval(kSettleMs);
    connect(&m_settle, &QTimer::timeout, this, &ConfigWatcher::reload);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &ConfigWatcher::onMaybeChanged);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &ConfigWatcher::onMaybeChanged);
}

void ConfigWatcher::onMaybeChanged()
{
    m_settle.start();
}

void ConfigWatcher::reload()
{
    // A file replaced by rename is a new inode: watch it again.
    if (QFileInfo::exists(m_path) && !m_watcher->files().contains(m_path))
        m_watcher->addPath(m_path);
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return; // removed or mid-rename; the next event brings it back
    const QByteArray content = file.readAll();
    if (content == m_lastContent)
        return; // the folder changed, not this file
    m_lastContent = content;
    Result<Config> config = ConfigLoader::fromJson(content);
    if (!config) {
        emit rejected(config.error());
        return;
    }
    emit changed(config.value());
}

} // namespace sy::config
