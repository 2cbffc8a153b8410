// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QSslConfiguration>

#include "upstreamrequest.h"

namespace sy::upstream {

class UpstreamConnection;

// Keep-alive connections of one gateway thread, per origin. Connections never cross
// threads, so the pool needs no locks.
class UpstreamPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamPool)

public:
    explicit UpstreamPool(QObject *parent = nullptr);
    ~UpstreamPool() override;

    // An idle connection to the origin, or a new one (connecting). *reused says which.
    UpstreamConnection *acquire(const Origin &origin, bool *reused);
    // Back from an exchange: kept if it can carry another, closed otherwise.
    void release(UpstreamConnection *connection);

    int idleCount() const;

private:
    const QSslConfiguration *tlsConfiguration(const QString &caFile);

    QHash<QString, QList<UpstreamConnection *>> m_idle;
    QHash<QString, QSslConfiguration> m_tls; // per extra CA file; "" is the system's
    static constexpr int kMaxIdlePerOrigin = 64;
};

} // namespace sy::upstream
