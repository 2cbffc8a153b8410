// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "instancelock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSysInfo>

namespace sy {

namespace {

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error)).toLower();
}

bool diskFullError(int error)
{
    return error == ENOSPC || error == EDQUOT || error == EFBIG;
}

} // namespace

InstanceLock::InstanceLock(const QString &dataDir)
    : m_dataDir(dataDir), m_path(QDir(dataDir).filePath(fileName())), m_lock(m_path)
{
    m_lock.setStaleLockTime(0); // stale only when its process is gone, however long it ran
}

InstanceLock::~InstanceLock()
{
    release();
}

void InstanceLock::release()
{
    if (m_fallbackFd >= 0) {
        QFile::remove(m_path);
        ::close(m_fallbackFd); // drops the OS lock
        m_fallbackFd = -1;
        return;
    }
    m_lock.unlock();
}

Status InstanceLock::acquire()
{
    QDir().mkpath(m_dataDir);
    const QString dir = QDir::toNativeSeparators(m_dataDir);
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (m_lock.tryLock(0))
            return success();
        switch (m_lock.error()) {
        case QLockFile::NoError:
        case QLockFile::LockFailedError: {
            qint64 pid = 0;
            QString host;
            QString application;
            if (m_lock.getLockInfo(&pid, &host, &application) && pid > 0)
                return Status::failure(
                    QStringLiteral("%1 is in use by a running Switchyard (pid %2); stop it first").arg(dir).arg(pid));
            // A lock file without a pid: written on a full disk by a Switchyard that still
            // holds its OS lock, or left behind by one that is gone (then it can go).
            if (!m_lock.removeStaleLockFile())
                return Status::failure(QStringLiteral("%1 is in use by a running Switchyard (its lock file names no "
                                                      "pid: it started while the disk was full); stop it first")
                                           .arg(dir));
            continue;
        }
        case QLockFile::PermissionError:
            return Status::failure(
                QStringLiteral("cannot create the lock file %1: permission denied or a read-only file system")
                    .arg(QDir::toNativeSeparators(m_path)));
        case QLockFile::UnknownError:
            // QLockFile could create the file but not write it: learn why by doing it ourselves.
            return acquireWithoutContents();
        }
    }
    return Status::failure(QStringLiteral("cannot take the lock file %1").arg(QDir::toNativeSeparators(m_path)));
}

Status InstanceLock::acquireWithoutContents()
{
    const QString path = QDir::toNativeSeparators(m_path);
    const QByteArray encoded = QFile::encodeName(m_path);
    const int fd = ::open(encoded.constData(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        const int error = errno;
        if (error == EEXIST) // another instance got there in between
            return Status::failure(QStringLiteral("%1 is in use by a running Switchyard; stop it first")
                                       .arg(QDir::toNativeSeparators(m_dataDir)));
        if (!diskFullError(error))
            return Status::failure(QStringLiteral("cannot create the lock file %1: %2").arg(path, errnoText(error)));
        // Not even an empty file fits: serve without the lock rather than not at all.
        m_warning = QStringLiteral("cannot create the lock file %1 (%2): the disk is full; serving without it, so "
                                   "nothing stops a second Switchyard on this data dir meanwhile")
                        .arg(path, errnoText(error));
        return success();
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return Status::failure(QStringLiteral("%1 is in use by a running Switchyard; stop it first")
                                   .arg(QDir::toNativeSeparators(m_dataDir)));
    }
    // QLockFile's format: pid, application name, host name, one a line.
    const QByteArray contents = QByteArray::number(QCoreApplication::applicationPid()) + '\n'
        + QCoreApplication::applicationName().toUtf8() + '\n' + QSysInfo::machineHostName().toUtf8() + '\n';
    const ssize_t written = ::write(fd, contents.constData(), size_t(contents.size()));
    const int error = errno;
    m_fallbackFd = fd;
    if (written == ssize_t(contents.size()))
        return success(); // space came back in between
    if (written > 0) {
        // A partial pid would mislead: with no contents, the OS lock alone speaks.
        [[maybe_unused]] const int truncated = ::ftruncate(fd, 0);
    }
    if (written < 0 && !diskFullError(error)) {
        release();
        return Status::failure(QStringLiteral("cannot write the lock file %1: %2").arg(path, errnoText(error)));
    }
    m_warning = QStringLiteral("cannot write the lock file %1 (%2): the disk holding %3 is full; serving anyway, "
                               "usage history paused until space returns")
                    .arg(path, errnoText(written < 0 ? error : ENOSPC), QDir::toNativeSeparators(m_dataDir));
    return success();
}

} // namespace sy
