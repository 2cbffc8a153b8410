// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "serveprocess.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>

namespace sy::testsupport {

ServeProcess::ServeProcess(QObject *parent) : QObject(parent), m_environment(QProcessEnvironment::systemEnvironment())
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &ServeProcess::onStdout);
    connect(&m_process, &QProcess::readyReadStandardError, this, &ServeProcess::onStderr);
    connect(&m_process, &QProcess::finished, this, [this] {
        onStdout();
        onStderr();
        m_finished = true;
        Q_EMIT finished();
    });
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            m_errorString = QStringLiteral("cannot start %1: %2").arg(binaryPath(), m_process.errorString());
            m_finished = true;
            Q_EMIT finished();
        }
    });
}

ServeProcess::~ServeProcess()
{
    if (isRunning()) {
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
}

QString ServeProcess::binaryPath()
{
    // An override, to run the e2e tests against an installed or differently built binary.
    const QString override = qEnvironmentVariable("SY_SWITCHYARD_BINARY");
    return override.isEmpty() ? QStringLiteral(SWITCHYARD_BINARY) : override;
}

bool ServeProcess::binaryHasServe()
{
    QProcess process;
    process.start(binaryPath(), {QStringLiteral("help")});
    if (!process.waitForFinished(15000))
        return false;
    static const QRegularExpression serveLine(QStringLiteral("^\\s+serve\\s"), QRegularExpression::MultilineOption);
    return serveLine.match(QString::fromUtf8(process.readAllStandardOutput())).hasMatch();
}

void ServeProcess::setEnvironment(const QProcessEnvironment &environment)
{
    m_environment = environment;
}

void ServeProcess::setExtraArguments(const QStringList &arguments)
{
    m_extraArguments = arguments;
}

bool ServeProcess::start(const QJsonObject &config, int timeoutMs)
{
    m_temporary = std::make_unique<QTemporaryDir>();
    if (!m_temporary->isValid()) {
        m_errorString = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    const QString configFile = m_temporary->filePath(QStringLiteral("config.json"));
    QFile file(configFile);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(config).toJson()) < 0) {
        m_errorString = QStringLiteral("cannot write ") + configFile;
        return false;
    }
    file.close();
    return start(configFile, m_temporary->path(), timeoutMs);
}

bool ServeProcess::start(const QString &configFile, const QString &dataDir, int timeoutMs)
{
    m_configFile = configFile;
    m_dataDir = dataDir;
    m_output.clear();
    m_stdout.clear();
    m_stderr.clear();
    m_errorString.clear();
    m_port = 0;
    m_host.clear();
    m_finished = false;

    m_process.setProcessEnvironment(m_environment);
    m_process.start(binaryPath(),
                    QStringList {QStringLiteral("serve"), QStringLiteral("--config"), configFile,
                                 QStringLiteral("--data-dir"), dataDir}
                        + m_extraArguments);

    static const QRegularExpression listening(QStringLiteral("listening on https?://(\\S+):(\\d+)"));
    const bool ready = waitUntil(
        [this] {
            const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_stdout));
            if (!match.hasMatch())
                return false;
            m_host = match.captured(1);
            if (m_host.startsWith(u'[') && m_host.endsWith(u']'))
                m_host = m_host.mid(1, m_host.size() - 2);
            m_port = quint16(match.captured(2).toUInt());
            return true;
        },
        timeoutMs);
    if (ready)
        return true;
    if (m_errorString.isEmpty()) {
        m_errorString = m_finished
            ? QStringLiteral("switchyard serve exited (code %1) before listening").arg(m_process.exitCode())
            : QStringLiteral("switchyard serve did not print \"listening on\" within %1 ms").arg(timeoutMs);
    }
    return false;
}

bool ServeProcess::waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(this, &ServeProcess::outputReceived, &loop, [&] {
        if (done())
            loop.quit();
    });
    connect(this, &ServeProcess::finished, &loop, &QEventLoop::quit);
    timeout.start(timeoutMs);
    if (!m_finished)
        loop.exec();
    return done();
}

bool ServeProcess::terminate(int timeoutMs)
{
    if (!isRunning())
        return m_finished;
    m_process.terminate();
    if (waitForExit(timeoutMs))
        return true;
    m_errorString = QStringLiteral("switchyard serve ignored SIGTERM for %1 ms; killed").arg(timeoutMs);
    m_process.kill();
    m_process.waitForFinished(5000);
    return false;
}

qint64 ServeProcess::processId() const
{
    return m_process.processId();
}

bool ServeProcess::kill(int timeoutMs)
{
    if (!isRunning())
        return m_finished;
    m_process.kill();
    return waitForExit(timeoutMs);
}

bool ServeProcess::waitForExit(int timeoutMs)
{
    return waitUntil([this] { return m_finished; }, timeoutMs);
}

bool ServeProcess::isRunning() const
{
    return m_process.state() != QProcess::NotRunning;
}

QUrl ServeProcess::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_host);
    url.setPort(m_port);
    return url;
}

int ServeProcess::exitCode() const
{
    return m_process.exitCode();
}

QProcess::ExitStatus ServeProcess::exitStatus() const
{
    return m_process.exitStatus();
}

void ServeProcess::onStdout()
{
    const QByteArray data = m_process.readAllStandardOutput();
    if (data.isEmpty())
        return;
    m_stdout += data;
    m_output += data;
    Q_EMIT outputReceived();
}

void ServeProcess::onStderr()
{
    const QByteArray data = m_process.readAllStandardError();
    if (data.isEmpty())
        return;
    m_stderr += data;
    m_output += data;
    Q_EMIT outputReceived();
}

} // namespace sy::testsupport
