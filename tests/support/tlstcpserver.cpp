// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "tlstcpserver.h"

#include <QSslSocket>

namespace sy::testsupport {

TlsTcpServer::TlsTcpServer(QObject *parent) : QTcpServer(parent) { }

void TlsTcpServer::setTls(const QSslCertificate &certificate, const QSslKey &key)
{
    m_certificate = certificate;
    m_key = key;
}

void TlsTcpServer::incomingConnection(qintptr descriptor)
{
    if (!isTls()) {
        QTcpServer::incomingConnection(descriptor);
        return;
    }
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    socket->setLocalCertificate(m_certificate);
    socket->setPrivateKey(m_key);
    socket->setProtocol(QSsl::TlsV1_2OrLater);
    socket->setPeerVerifyMode(QSslSocket::VerifyNone); // clients present no certificate
    socket->startServerEncryption();
    addPendingConnection(socket);
}

} // namespace sy::testsupport
