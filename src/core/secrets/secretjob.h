// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

namespace sy::secrets {

enum class SecretError {
    None,
    NotFound, // no entry by that name
    Unavailable, // the store cannot be reached here (no keychain service, no master key)
    Denied, // the user refused access: never a reason to fall back to another store
    Failed, // anything else: a damaged file, a wrong master key, an I/O error
};

// One read, write or removal in a SecretStore. Every store answers asynchronously, even
// one that could answer at once, so callers have one code path: `finished` is emitted
// once, later, on the thread that started the job, which then deletes itself.
class SecretJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretJob)

public:
    explicit SecretJob(QObject *parent = nullptr);

    SecretError error() const { return m_error; }
    QString errorString() const { return m_errorString; } // names entries, never secrets
    QByteArray secret() const { return m_secret; } // for a successful read

    // For stores: schedule the answer (never emitted inside the call that made the job).
    void finishLater(QByteArray secret = {});
    void failLater(SecretError error, QString message);

signals:
    void finished(sy::secrets::SecretJob *job);

private:
    void emitLater();

    SecretError m_error = SecretError::None;
    QString m_errorString;
    QByteArray m_secret;
};

} // namespace sy::secrets
