// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QUrl>

class QTemporaryDir;

namespace sy::testsupport {

// The real `switchyard serve` binary as a child process, for end-to-end tests.
//
// start() runs `switchyard serve --config FILE --data-dir DIR`, spins the event loop (so an
// in-process MockUpstream keeps answering) until the binary prints
// "listening on http://HOST:PORT", and parses the address; configs use "127.0.0.1:0".
// Everything the process writes to stdout and stderr is kept for inspection: the privacy
// tests grep it for request content. The destructor terminates a process still running.
class ServeProcess final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServeProcess)

public:
    explicit ServeProcess(QObject *parent = nullptr);
    ~ServeProcess() override;

    // The binary under test: the build's `switchyard`, or $SY_SWITCHYARD_BINARY when set.
    static QString binaryPath();
    // Whether that binary has a `serve` command yet (from `switchyard help`).
    static bool binaryHasServe();

    // Defaults to the system environment; set before start().
    void setEnvironment(const QProcessEnvironment &environment);
    void setExtraArguments(const QStringList &arguments);

    bool start(const QString &configFile, const QString &dataDir, int timeoutMs = 15000);
    // Writes `config` to a private temporary directory, which also serves as the data dir.
    bool start(const QJsonObject &config, int timeoutMs = 15000);

    // Sends SIGTERM and waits for the exit; false when it had to be killed.
    bool terminate(int timeoutMs = 10000);
    // Waits (running the event loop) for the process to exit on its own.
    bool waitForExit(int timeoutMs = 10000);
    // SIGKILL, as a crash or `kill -9` would: no chance to flush anything.
    bool kill(int timeoutMs = 10000);

    bool isRunning() const;
    qint64 processId() const;
    QString host() const { return m_host; }
    quint16 port() const { return m_port; }
    QUrl baseUrl() const; // http://HOST:PORT, no path
    QString dataDir() const { return m_dataDir; }
    QString configFile() const { return m_configFile; }

    QByteArray output() const { return m_output; } // stdout and stderr, interleaved as they arrived
    QByteArray standardOutput() const { return m_stdout; }
    QByteArray standardError() const { return m_stderr; }
    int exitCode() const;
    QProcess::ExitStatus exitStatus() const;
    QString errorString() const { return m_errorString; }

Q_SIGNALS:
    void outputReceived();
    void finished();

private:
    void onStdout();
    void onStderr();
    bool waitUntil(const std::function<bool()> &done, int timeoutMs);

    QProcess m_process;
    QProcessEnvironment m_environment;
    QStringList m_extraArguments;
    std::unique_ptr<QTemporaryDir> m_temporary;
    QString m_configFile;
    QString m_dataDir;
    QString m_host;
    quint16 m_port = 0;
    QByteArray m_output;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QString m_errorString;
    bool m_finished = false;
};

} // namespace sy::testsupport
