// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QTimer>

class QFileSystemWatcher;

namespace sy {

// Reports when a file's content changes. Editors and atomic writers replace files by
// renaming a new one over the old, so the folder is watched too; writes in several steps
// are let settle before the file is read.
class WatchedFile final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WatchedFile)

public:
    explicit WatchedFile(QString path, QObject *parent = nullptr);

    QString path() const { return m_path; }

signals:
    void changed(const QByteArray &content); // empty when the file was removed

private:
    void check();

    QString m_path;
    QFileSystemWatcher *m_watcher;
    QTimer m_settle;
    QByteArray m_lastContent;
    bool m_existed = false;
};

} // namespace sy
