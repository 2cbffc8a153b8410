// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "instancelock.h"

#include <QDir>

namespace sy {

InstanceLock::InstanceLock(const QString &dataDir) : m_dataDir(dataDir), m_lock(QDir(dataDir).filePath(fileName()))
{
    m_lock.setStaleLockTime(0); // stale only when its process is gone, however long it ran
}

Status InstanceLock::acquire()
{
    QDir().mkpath(m_dataDir);
    if (m_lock.tryLock(0))
        return success();
    qint64 pid = 0;
    QString host;
    QString application;
    m_lock.getLockInfo(&pid, &host, &application);
    return Status::failure(QStringLiteral("%1 is in use by a running Switchyard (pid %2); stop it first")
                               .arg(QDir::toNativeSeparators(m_dataDir))
                               .arg(pid));
}

} // namespace sy
