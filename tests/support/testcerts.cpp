// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "testcerts.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

namespace sy::testsupport {

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

TestCerts::TestCerts() : m_directory(std::make_unique<QTemporaryDir>())
{
    if (!m_directory->isValid()) {
        m_errorString = QStringLiteral("cannot create a temporary directory: ") + m_directory->errorString();
        return;
    }
    const QString dir = m_directory->path();
    const QString extensions = dir + QStringLiteral("/server.ext");
    {
        QFile file(extensions);
        if (!file.open(QIODevice::WriteOnly)) {
            m_errorString = QStringLiteral("cannot write ") + extensions;
            return;
        }
        file.write("basicConstraints = critical, CA:FALSE\n"
                   "keyUsage = critical, digitalSignature, keyEncipherment\n"
                   "extendedKeyUsage = serverAuth\n"
                   "subjectAltName = IP:127.0.0.1, DNS:localhost\n");
    }
    const QStringList ecKey {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                             QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
    const bool ok = run(QStringList {QStringLiteral("req"), QStringLiteral("-x509")} + ecKey
                        + QStringList {QStringLiteral("-keyout"), caKeyPath(dir), QStringLiteral("-out"), caCertPath(),
                                       QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                                       QStringLiteral("/CN=Switchyard Test CA"), QStringLiteral("-addext"),
                                       QStringLiteral("basicConstraints=critical,CA:TRUE"), QStringLiteral("-addext"),
                                       QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")})
        && run(QStringList {QStringLiteral("req")} + ecKey
               + QStringList {QStringLiteral("-keyout"), serverKeyPath(), QStringLiteral("-out"),
                              dir + QStringLiteral("/server.csr"), QStringLiteral("-subj"),
                              QStringLiteral("/CN=localhost")})
        && run({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                dir + QStringLiteral("/server.csr"), QStringLiteral("-CA"), caCertPath(), QStringLiteral("-CAkey"),
                caKeyPath(dir), QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), serverCertPath(),
                QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), extensions});
    if (!ok)
        return;

    m_caCertificate = QSslCertificate(readFile(caCertPath()), QSsl::Pem);
    m_serverCertificate = QSslCertificate(readFile(serverCertPath()), QSsl::Pem);
    m_serverKey = QSslKey(readFile(serverKeyPath()), QSsl::Ec, QSsl::Pem);
    if (m_caCertificate.isNull() || m_serverCertificate.isNull() || m_serverKey.isNull())
        m_errorString = QStringLiteral("openssl wrote certificates Qt cannot read");
}

TestCerts::~TestCerts() = default;

QString TestCerts::caKeyPath(const QString &dir)
{
    return dir + QStringLiteral("/ca.key");
}

QString TestCerts::directory() const
{
    return m_directory->path();
}

QString TestCerts::caCertPath() const
{
    return m_directory->path() + QStringLiteral("/ca.crt");
}

QString TestCerts::serverCertPath() const
{
    return m_directory->path() + QStringLiteral("/server.crt");
}

QString TestCerts::serverKeyPath() const
{
    return m_directory->path() + QStringLiteral("/server.key");
}

QSslConfiguration TestCerts::clientConfiguration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({m_caCertificate});
    configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return configuration;
}

bool TestCerts::run(const QStringList &arguments)
{
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral("openssl"), arguments);
    // QProcess::waitFor* is fine here: nothing else runs while certificates are made.
    if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0) {
        m_errorString = QStringLiteral("openssl %1 failed: %2 %3")
                            .arg(arguments.value(0), openssl.errorString(), QString::fromLocal8Bit(openssl.readAll()));
        return false;
    }
    return true;
}

} // namespace sy::testsupport
