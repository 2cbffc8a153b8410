// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "controlclient.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>

#include "controlprotocol.h"

namespace sy::control {

ControlClient::ControlClient(QObject *parent) : QObject(parent)
{
    // A Unix socket connects or fails inside connectToServer(); queued, connected() and
    // failed() always come after connectToDataDir() returns, whatever the platform.
    connect(
        &m_socket, &QLocalSocket::connected, this,
        [this] {
            if (m_socket.state() == QLocalSocket::ConnectedState)
                emit connected();
        },
        Qt::QueuedConnection);
    connect(&m_socket, &QLocalSocket::readyRead, this, &ControlClient::onReadyRead);
    connect(&m_socket, &QLocalSocket::errorOccurred, this, &ControlClient::onSocketError, Qt::QueuedConnection);
    connect(&m_socket, &QLocalSocket::disconnected, this, &ControlClient::disconnected);
}

ControlClient::~ControlClient()
{
    m_socket.disconnect(this);
    m_socket.abort();
}

void ControlClient::connectToDataDir(const QString &dataDir)
{
    m_buffer.clear();
    m_error = Error::None;
    m_errorString.clear();
    const QString path = ControlProtocol::socketPath(dataDir);
    if (!QFileInfo::exists(path)) {
        // Answered later, like every other outcome, so callers handle one path.
        QTimer::singleShot(0, this, [this] { fail(Error::NotRunning, tr("no gateway is running on this data dir")); });
        return;
    }
    m_socket.connectToServer(path);
}

void ControlClient::disconnectFromServer()
{
    m_socket.disconnectFromServer();
}

bool ControlClient::isConnected() const
{
    return m_socket.state() == QLocalSocket::ConnectedState;
}

qint64 ControlClient::send(const QString &command, QJsonObject fields)
{
    const qint64 id = m_nextId++;
    fields.insert(u"cmd", command);
    fields.insert(u"id", id);
    m_socket.write(ControlProtocol::encode(fields));
    return id;
}

void ControlClient::onReadyRead()
{
    m_buffer.append(m_socket.readAll());
    qsizetype end;
    while ((end = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(end);
        m_buffer.remove(0, end + 1);
        const Result<QJsonObject> message = ControlProtocol::decode(line);
        if (!message) {
            fail(Error::Protocol, tr("the gateway's answer is not the control protocol"));
            return;
        }
        if (message->value(u"v").toInt() != ControlProtocol::kVersion) {
            fail(Error::Protocol,
                 tr("the gateway speaks control protocol version %1; this program speaks %2")
                     .arg(message->value(u"v").toInt())
                     .arg(ControlProtocol::kVersion));
            return;
        }
        if (message->contains(u"event"))
            emit ticked(message.value());
        else
            emit replied(message.value());
    }
    if (m_buffer.size() > ControlProtocol::kMaxMessageLine)
        fail(Error::Protocol, tr("the gateway's answer is too long"));
}

void ControlClient::onSocketError(QLocalSocket::LocalSocketError error)
{
    switch (error) {
    case QLocalSocket::ServerNotFoundError:
    case QLocalSocket::ConnectionRefusedError: // a socket file left by a process that ended
        fail(Error::NotRunning, tr("no gateway is running on this data dir"));
        break;
    case QLocalSocket::SocketAccessError:
        fail(Error::Refused, tr("the control socket may not be opened: %1").arg(m_socket.errorString()));
        break;
    case QLocalSocket::PeerClosedError:
        fail(Error::Disconnected, tr("the gateway closed the control channel"));
        break;
    default:
        fail(Error::Disconnected, m_socket.errorString());
        break;
    }
}

void ControlClient::fail(Error error, const QString &reason)
{
    if (m_error != Error::None)
        return; // one report per failure
    m_error = error;
    m_errorString = reason;
    m_socket.abort();
    emit failed(error, reason);
}

ControlClient::Answer ControlClient::ask(const QString &dataDir, const QString &command, int timeoutMs)
{
    Answer answer;
    ControlClient client;
    QEventLoop loop;
    connect(&client, &ControlClient::connected, &loop, [&client, &command] { client.send(command); });
    connect(&client, &ControlClient::replied, &loop, [&answer, &loop](const QJsonObject &reply) {
        answer.reply = reply;
        loop.quit();
    });
    connect(&client, &ControlClient::failed, &loop, [&answer, &loop](Error error, const QString &reason) {
        answer.error = error;
        answer.errorString = reason;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, [&answer, &loop] {
        answer.error = Error::Timeout;
        answer.errorString = tr("the gateway did not answer in time");
        loop.quit();
    });
    client.connectToDataDir(dataDir);
    loop.exec();
    return answer;
}

} // namespace sy::control
