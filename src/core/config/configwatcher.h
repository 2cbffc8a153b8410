// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

#include "config.h"

namespace sy {
class WatchedFile;
}

namespace sy::config {

// Offers each valid edit of the config file; an invalid one is reported and changes
// nothing.
class ConfigWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigWatcher)

public:
    explicit ConfigWatcher(const QString &path, QObject *parent = nullptr);

signals:
    void changed(const sy::config::Config &config);
    void rejected(const QString &reason); // the old config stays in force

private:
    void onChanged(const QByteArray &content);

    WatchedFile *m_file;
};

} // namespace sy::config
