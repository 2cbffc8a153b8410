// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

class QTemporaryDir;

namespace sy::testsupport {

// A throw-away certificate authority and a server certificate for 127.0.0.1 and localhost
// (EC P-256, valid two days), made with the openssl CLI in a temporary directory that lives
// as long as this object. For TLS upstream tests: the mock serves the server pair, the
// client trusts caCertificate() (or NODE_EXTRA_CA_CERTS / curl --cacert = caCertPath()).
class TestCerts final
{
public:
    TestCerts(); // generates at once; check isValid()
    ~TestCerts();
    TestCerts(const TestCerts &) = delete;
    TestCerts &operator=(const TestCerts &) = delete;

    bool isValid() const { return m_errorString.isEmpty(); }
    QString errorString() const { return m_errorString; }

    QString directory() const;
    QString caCertPath() const;
    QString serverCertPath() const;
    QString serverKeyPath() const;

    QSslCertificate caCertificate() const { return m_caCertificate; }
    QSslCertificate serverCertificate() const { return m_serverCertificate; }
    QSslKey serverKey() const { return m_serverKey; }

    // A client configuration that trusts only the test CA.
    QSslConfiguration clientConfiguration() const;

private:
    bool run(const QStringList &arguments);
    static QString caKeyPath(const QString &dir);

    std::unique_ptr<QTemporaryDir> m_directory;
    QSslCertificate m_caCertificate;
    QSslCertificate m_serverCertificate;
    QSslKey m_serverKey;
    QString m_errorString;
};

} // namespace sy::testsupport
