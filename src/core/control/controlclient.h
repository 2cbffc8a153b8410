// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QLocalSocket>
#include <QObject>

namespace sy::control {

// The other end of the control channel (docs/CONTROL.md): `switchyard status`, a second
// launch of the app handing over to the first, and the window reading live figures from
// the gateway, in-process or in a `serve` it attached to. Asynchronous: it answers with
// signals and never waits, except ask(), which is for command-line use.
class ControlClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlClient)

public:
    enum class Error {
        None,
        NotRunning, // no socket, or nobody listening on it: no gateway runs on that data dir
        Refused, // the socket exists but may not be opened (another user's)
        Protocol, // an answer that is not the protocol, or a version this client does not speak
        Timeout,
        Disconnected, // the gateway went away
    };
    Q_ENUM(Error)

    explicit ControlClient(QObject *parent = nullptr);
    ~ControlClient() override;

    // Connects to the gateway of `dataDir`; answers with connected() or failed().
    void connectToDataDir(const QString &dataDir);
    void disconnectFromServer();
    bool isConnected() const;
    // Sends a command ("status", "subscribe", ...) with optional fields; returns its id,
    // which the reply carries.
    qint64 send(const QString &command, QJsonObject fields = {});

    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }

    // One command, one answer: connects, sends, waits up to `timeoutMs` in a local event
    // loop and returns the reply (which may say "ok": false). For the command line and for
    // a second launch before it has a window; never for the GUI thread of a running window.
    struct Answer
    {
        Error error = Error::None;
        QString errorString;
        QJsonObject reply;
    };
    static Answer ask(const QString &dataDir, const QString &command, int timeoutMs = 2000);

signals:
    void connected();
    void failed(sy::control::ControlClient::Error error, const QString &reason);
    void replied(const QJsonObject &reply); // the answer to a command (its "id" says which)
    void ticked(const QJsonObject &event); // a subscriber's push, once a second
    void disconnected();

private:
    void onReadyRead();
    void onSocketError(QLocalSocket::LocalSocketError error);
    void fail(Error error, const QString &reason);

    QLocalSocket m_socket;
    QByteArray m_buffer;
    qint64 m_nextId = 1;
    Error m_error = Error::None;
    QString m_errorString;
};

} // namespace sy::control
