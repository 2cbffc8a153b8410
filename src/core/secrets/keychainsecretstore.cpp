// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "keychainsecretstore.h"

#include <qt6keychain/keychain.h>

#include "secrets/secretjob.h"
#include "secrets/secretslog.h"

namespace sy::secrets {

namespace {

SecretError errorFor(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoError:
        return SecretError::None;
    case QKeychain::EntryNotFound:
        return SecretError::NotFound;
    case QKeychain::AccessDeniedByUser:
        return SecretError::Denied;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    // No session bus, or a Secret Service without a usable collection (a headless login).
    case QKeychain::OtherError:
    case QKeychain::AccessDenied:
        return SecretError::Unavailable;
    case QKeychain::CouldNotDeleteEntry:
        return SecretError::Failed;
    }
    return SecretError::Failed;
}

// Runs a QtKeychain job and answers through a SecretJob.
SecretJob *track(QKeychain::Job *keychainJob, const QString &entry, const char *what, bool goneIsDone = false)
{
    auto *job = new SecretJob;
    keychainJob->setAutoDelete(true);
    keychainJob->setInsecureFallback(false);
    keychainJob->setKey(entry);
    QObject::connect(keychainJob, &QKeychain::Job::finished, job, [job, entry, what, goneIsDone](QKeychain::Job *done) {
        const SecretError error = errorFor(done->error());
        if (error == SecretError::None || (goneIsDone && error == SecretError::NotFound)) {
            auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(done);
            job->finishLater(read ? read->binaryData() : QByteArray());
            return;
        }
        qCDebug(lcSecrets) << "keychain" << what << entry << "failed:" << done->errorString();
        job->failLater(
            error, QStringLiteral("keychain %1 of %2: %3").arg(QLatin1StringView(what), entry, done->errorString()));
    });
    keychainJob->start();
    return job;
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service) : m_service(std::move(service)) { }

SecretJob *KeychainSecretStore::read(const QString &entry)
{
    return track(new QKeychain::ReadPasswordJob(m_service), entry, "read");
}

SecretJob *KeychainSecretStore::write(const QString &entry, const QByteArray &secret)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setBinaryData(secret);
    return track(job, entry, "write");
}

SecretJob *KeychainSecretStore::remove(const QString &entry)
{
    return track(new QKeychain::DeletePasswordJob(m_service), entry, "removal", true);
}

} // namespace sy::secrets
