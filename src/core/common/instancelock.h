// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QLockFile>
#include <QString>

#include "common/result.h"

namespace sy {

// One Switchyard per data dir: the usage store has one writer, and delete-all-data must
// not pull files from under a running gateway. A lock left by a crashed process is taken
// over (QLockFile checks whether its pid still runs).
//
// On a full disk the lock file cannot be written: the lock is then held by an empty file
// with an OS lock on it (which other instances respect, and which goes with the
// process), and warning() says what is wrong instead of blaming a running Switchyard.
class InstanceLock
{
public:
    explicit InstanceLock(const QString &dataDir);
    ~InstanceLock();
    InstanceLock(const InstanceLock &) = delete;
    InstanceLock &operator=(const InstanceLock &) = delete;

    static QString fileName() { return QStringLiteral("switchyard.lock"); }
    Status acquire(); // fails naming the process that holds the lock, or what else is wrong
    void release();
    // Held, but not the usual way (the disk is full): what the user should know. Empty otherwise.
    QString warning() const { return m_warning; }

private:
    Status acquireWithoutContents();

    QString m_dataDir;
    QString m_path;
    QLockFile m_lock;
    int m_fallbackFd = -1;
    QString m_warning;
};

} // namespace sy
