// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>

// Runs tests/e2e/node/sdkclient.mjs and curl for the e2e tests. Waits with QSignalSpy, so
// the event loop keeps turning and an in-process MockUpstream keeps answering.
namespace sy::e2e {

inline QString sdkClientDir()
{
    return QStringLiteral(SDKCLIENT_DIR);
}

// Empty when the SDKs cannot run here (no node, or npm ci not run): the tests skip.
inline QString sdkUnavailableReason()
{
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
        return QStringLiteral("node is not installed");
    if (!QFileInfo::exists(sdkClientDir() + QStringLiteral("/node_modules/openai"))
        || !QFileInfo::exists(sdkClientDir() + QStringLiteral("/node_modules/@anthropic-ai/sdk")))
        return QStringLiteral("run `npm ci` in tests/e2e/node first");
    return {};
}

struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// `input` goes to the process's stdin, which is then closed.
inline ProcessResult runProcess(const QString &program, const QStringList &arguments,
                                const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
                                int timeoutMs = 60000, const QByteArray &input = {})
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(sdkClientDir());
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(program, arguments);
    if (!process.waitForStarted(10000))
        return {};
    process.write(input);
    process.closeWriteChannel();
    if (finished.isEmpty() && !finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

// The SDK's normalized answer: {text, usage, finish[, streamed]} or {error: {class, status}}.
// On a broken run, {"runFailed": stderr}.
inline QJsonObject runSdk(const QJsonObject &request,
                          const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    const ProcessResult result = runProcess(QStringLiteral("node"),
                                            {sdkClientDir() + QStringLiteral("/sdkclient.mjs"),
                                             QString::fromUtf8(QJsonDocument(request).toJson(QJsonDocument::Compact))},
                                            environment);
    const QJsonDocument document = QJsonDocument::fromJson(result.out.trimmed());
    if (result.exitCode != 0 || !document.isObject())
        return {{QStringLiteral("runFailed"), QString::fromUtf8(result.err + result.out)}};
    return document.object();
}

} // namespace sy::e2e
