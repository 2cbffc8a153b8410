// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "configwatcher.h"

#include "common/watchedfile.h"
#include "configloader.h"

namespace sy::config {

ConfigWatcher::ConfigWatcher(const QString &path, QObject *parent)
    : QObject(parent), m_file(new WatchedFile(path, this))
{
    connect(m_file, &WatchedFile::changed, this, &ConfigWatcher::onChanged);
}

void ConfigWatcher::onChanged(const QByteArray &content)
{
    if (content.isEmpty())
        return; // removed or mid-replace: keep running on what we have
    Result<Config> config = ConfigLoader::fromJson(content);
    if (!config) {
        emit rejected(config.error());
        return;
    }
    emit changed(config.value());
}

} // namespace sy::config
