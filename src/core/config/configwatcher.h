// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QTimer>

#include "config.h"

class QFileSystemWatcher;

namespace sy::config {

// Watches the config file and offers each valid edit; an invalid one is reported and
// changes nothing. Editors that save by renaming a new file over the old one are
// handled by watching the folder too.
class ConfigWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigWatcher)

public:
    explicit ConfigWatcher(QString path, QObject *parent = nullptr);

    QString path() const { return m_path; }

signals:
    void changed(const sy::config::Config &config);
    void rejected(const QString &reason); // the old config stays in force

private:
    void onMaybeChanged();
    void reload();

    QString m_path;
    QFileSystemWatcher *m_watcher;
    QTimer m_settle; // editors write in several steps: read once they are done
    QByteArray m_lastContent;
};

} // namespace sy::config
