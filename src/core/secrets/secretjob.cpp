// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "secretjob.h"

#include <QTimer>

namespace sy::secrets {

SecretJob::SecretJob(QObject *parent) : QObject(parent) { }

void SecretJob::finishLater(QByteArray secret)
{
    m_secret = std::move(secret);
    emitLater();
}

void SecretJob::failLater(SecretError error, QString message)
{
    m_error = error;
    m_errorString = std::move(message);
    emitLater();
}

void SecretJob::emitLater()
{
    QTimer::singleShot(0, this, [this] {
        emit finished(this);
        deleteLater();
    });
}

} // namespace sy::secrets
