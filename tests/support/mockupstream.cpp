// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "mockupstream.h"

#include <QHostAddress>
#include <QTcpSocket>

#include "mockconnection.h"
#include "mockresponder.h"
#include "tlstcpserver.h"

namespace sy::testsupport {

QByteArray MockUpstream::ReceivedRequest::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool MockUpstream::ReceivedRequest::hasHeader(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArray MockUpstream::ReceivedRequest::path() const
{
    const qsizetype query = target.indexOf('?');
    return query < 0 ? target : target.left(query);
}

MockUpstream::MockUpstream(QObject *parent)
    : QObject(parent), m_server(std::make_unique<TlsTcpServer>()), m_responder(std::make_unique<MockResponder>())
{
    connect(m_server.get(), &QTcpServer::newConnection, this, &MockUpstream::onNewConnection);
}

MockUpstream::~MockUpstream()
{
    close();
}

bool MockUpstream::listen(quint16 port)
{
    m_tls = false;
    m_server->setTls(QSslCertificate(), QSslKey());
    return startListening(port);
}

bool MockUpstream::listenTls(const QSslCertificate &certificate, const QSslKey &key, quint16 port)
{
    if (certificate.isNull() || key.isNull()) {
        m_errorString = QStringLiteral("listenTls: a certificate and a key are required");
        return false;
    }
    m_tls = true;
    m_server->setTls(certificate, key);
    return startListening(port);
}

bool MockUpstream::startListening(quint16 port)
{
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        m_errorString = m_server->errorString();
        return false;
    }
    return true;
}

void MockUpstream::close()
{
    m_server->close();
    const QList<MockConnection *> connections = m_connections;
    for (MockConnection *connection : connections)
        connection->abort();
}

bool MockUpstream::isTls() const
{
    return m_tls;
}

quint16 MockUpstream::port() const
{
    return m_server->serverPort();
}

QUrl MockUpstream::baseUrl() const
{
    QUrl url;
    url.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    return url;
}

QString MockUpstream::errorString() const
{
    return m_errorString;
}

void MockUpstream::enqueue(const Script &script)
{
    m_scripts.append(script);
}

void MockUpstream::clearScripts()
{
    m_scripts.clear();
}

int MockUpstream::pendingScripts() const
{
    return int(m_scripts.size());
}

void MockUpstream::setUsage(const Usage &usage)
{
    m_responder->setUsage(usage);
}

MockUpstream::Usage MockUpstream::usage() const
{
    return m_responder->usage();
}

void MockUpstream::setStreamDelay(int ms)
{
    m_responder->setStreamDelay(ms);
}

int MockUpstream::streamDelay() const
{
    return m_responder->streamDelay();
}

QList<MockUpstream::ReceivedRequest> MockUpstream::requests() const
{
    return m_requests;
}

MockUpstream::ReceivedRequest MockUpstream::lastRequest() const
{
    return m_requests.isEmpty() ? ReceivedRequest {} : m_requests.last();
}

int MockUpstream::requestCount() const
{
    return m_requestCount;
}

void MockUpstream::clearRequests()
{
    m_requests.clear();
    m_requestCount = 0;
}

void MockUpstream::setRecordRequests(bool record)
{
    m_recordRequests = record;
}

int MockUpstream::connectionCount() const
{
    return m_connectionCount;
}

int MockUpstream::openConnectionCount() const
{
    return int(m_connections.size());
}

int MockUpstream::closedConnectionCount() const
{
    return m_closedCount;
}

qint64 MockUpstream::unsentBytes() const
{
    qint64 total = 0;
    for (const MockConnection *connection : m_connections)
        total += connection->unsentBytes();
    return total;
}

void MockUpstream::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *connection = new MockConnection(socket, ++m_connectionCount, this);
        m_connections.append(connection);
        connection->setHandlers(
            [this](MockConnection *from, const ReceivedRequest &request) { onRequest(from, request); },
            [this](MockConnection *from) { onConnectionClosed(from); });
    }
}

void MockUpstream::setRequiredKey(const QByteArray &key)
{
    m_requiredKey = key;
}

void MockUpstream::setModels(const QList<QByteArray> &ids)
{
    m_responder->setModels(ids);
}

void MockUpstream::setModelsPageLimit(int limit)
{
    m_responder->setModelsPageLimit(limit);
}

void MockUpstream::setModelsScript(const std::optional<Script> &script)
{
    m_modelsScript = script;
}

QList<MockUpstream::ReceivedRequest> MockUpstream::modelsRequests() const
{
    return m_modelsRequests;
}

int MockUpstream::modelsRequestCount() const
{
    return int(m_modelsRequests.size());
}

void MockUpstream::onRequest(MockConnection *connection, const ReceivedRequest &request)
{
    const bool listing = request.method == "GET" && request.path() == "/v1/models";
    if (listing) {
        m_modelsRequests.append(request);
    } else {
        ++m_requestCount;
        if (m_recordRequests)
            m_requests.append(request);
    }

    Script script;
    if (!m_requiredKey.isEmpty() && request.header("authorization") != "Bearer " + m_requiredKey
        && request.header("x-api-key") != m_requiredKey) {
        script = request.path().startsWith("/v1/messages") || request.hasHeader("anthropic-version")
            ? Script::anthropicError(401, "authentication_error", "invalid x-api-key")
            : Script::openAiError(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
    } else if (listing) {
        script = m_modelsScript.value_or(Script::defaultResponse());
        if (script.useDefault) {
            Script answer = m_responder->respond(request);
            answer.headerDelayMs = script.headerDelayMs;
            answer.fault = script.fault;
            answer.faultAfter = script.faultAfter;
            answer.closeAfter = script.closeAfter;
            script = answer;
        }
    } else if (m_scripts.isEmpty()) {
        script = m_responder->respond(request);
    } else {
        Script &next = m_scripts.first();
        script = next;
        if (next.times > 0 && --next.times == 0)
            m_scripts.removeFirst();
        if (script.useDefault) {
            // The default answer, with the script's faults, delays and extra headers on top.
            Script answer = m_responder->respond(request);
            answer.headers += script.headers;
            answer.fault = script.fault;
            answer.faultAfter = script.faultAfter;
            answer.headerDelayMs = script.headerDelayMs;
            answer.chunkDelayMs = script.chunkDelayMs;
            answer.bodyPieceSize = script.bodyPieceSize;
            answer.bodyPieceDelayMs = script.bodyPieceDelayMs;
            answer.closeAfter = script.closeAfter;
            script = answer;
        }
    }
    // Answer first: a test woken by the signal may stop the event loop before it would run.
    connection->respond(script);
    if (listing)
        Q_EMIT modelsRequested();
    else
        Q_EMIT requestReceived();
}

void MockUpstream::onConnectionClosed(MockConnection *connection)
{
    m_connections.removeOne(connection);
    ++m_closedCount;
    connection->deleteLater();
    Q_EMIT connectionClosed();
}

} // namespace sy::testsupport
