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
class InstanceLock
{
public:
    explicit InstanceLock(const QString &dataDir);

    static QString fileName() { return QStringLiteral("switchyard.lock"); }
    Status acquire(); // fails naming the process that holds the lock
    void release() { m_lock.unlock(); }

private:
    QString m_dataDir;
    QLockFile m_lock;
};

} // namespace sy
