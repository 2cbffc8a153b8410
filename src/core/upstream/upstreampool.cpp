// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "upstreampool.h"

#include <QSslCertificate>

#include "upstreamconnection.h"
#include "upstreamlog.h"

namespace sy::upstream {

UpstreamPool::UpstreamPool(QObject *parent) : QObject(parent) { }

UpstreamPool::~UpstreamPool() = default;

UpstreamConnection *UpstreamPool::acquire(const Origin &origin, bool *reused)
{
    QList<UpstreamConnection *> &idle = m_idle[origin.key()];
    while (!idle.isEmpty()) {
        UpstreamConnection *connection = idle.takeLast(); // the most recently used is the least likely stale
        if (connection->isConnected()) {
            *reused = true;
            return connection;
        }
        connection->deleteLater();
    }
    *reused = false;
    auto *connection = new UpstreamConnection(origin, origin.tls ? tlsConfiguration(origin.caFile) : nullptr, this);
    connect(connection, &UpstreamConnection::idleClosed, this, [this, connection] {
        QList<UpstreamConnection *> &list = m_idle[connection->origin().key()];
        if (list.removeOne(connection))
            connection->deleteLater();
    });
    connection->connectToOrigin();
    return connection;
}

void UpstreamPool::release(UpstreamConnection *connection)
{
    QList<UpstreamConnection *> &idle = m_idle[connection->origin().key()];
    if (connection->isReusable() && connection->isConnected() && idle.size() < kMaxIdlePerOrigin)
        idle.append(connection);
    else
        connection->deleteLater();
}

int UpstreamPool::idleCount() const
{
    int count = 0;
    for (const auto &list : m_idle)
        count += int(list.size());
    return count;
}

const QSslConfiguration *UpstreamPool::tlsConfiguration(const QString &caFile)
{
    auto it = m_tls.find(caFile);
    if (it == m_tls.end()) {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
        configuration.setProtocol(QSsl::TlsV1_2OrLater);
        if (!caFile.isEmpty()) {
            const QList<QSslCertificate> extra = QSslCertificate::fromPath(caFile, QSsl::Pem);
            if (extra.isEmpty())
                qCWarning(lcUpstream) << "no certificates found in ca_file" << caFile;
            configuration.addCaCertificates(extra);
        }
        it = m_tls.insert(caFile, configuration);
    }
    return &*it;
}

} // namespace sy::upstream
