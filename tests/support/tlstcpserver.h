// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>

namespace sy::testsupport {

// A QTcpServer that can hand out server-side QSslSockets. Qt 6.4 has no QSslServer (it
// arrived in 6.5), so accepted descriptors are wrapped here; with no certificate set it
// hands out plain QTcpSockets. Encryption starts at once; readyRead on the socket then
// delivers plaintext, so callers treat both kinds alike.
class TlsTcpServer final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TlsTcpServer)

public:
    explicit TlsTcpServer(QObject *parent = nullptr);

    void setTls(const QSslCertificate &certificate, const QSslKey &key);
    bool isTls() const { return !m_certificate.isNull(); }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QSslCertificate m_certificate;
    QSslKey m_key;
};

} // namespace sy::testsupport
