// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "upstreamconnection.h"

#include <http_parser.h>

#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>

#include "upstreamlog.h"

namespace sy::upstream {

namespace {
constexpr qsizetype kReadChunk = 64 * 1024;
// Bounds what Qt buffers from a fast upstream while the client is slow: past it, TCP
// pushes back on the upstream instead of the gateway's memory growing.
constexpr qint64 kSocketReadBuffer = 256 * 1024;
} // namespace

struct ResponseCallbacks
{
    static UpstreamConnection *self(http_parser *parser) { return static_cast<UpstreamConnection *>(parser->data); }

    static int onHeaderField(http_parser *parser, const char *at, size_t length)
    {
        UpstreamConnection *c = self(parser);
        c->m_headers.addFieldPart(QByteArrayView(at, qsizetype(length)));
        return 0;
    }

    static int onHeaderValue(http_parser *parser, const char *at, size_t length)
    {
        UpstreamConnection *c = self(parser);
        c->m_headers.addValuePart(QByteArrayView(at, qsizetype(length)));
        return 0;
    }

    static int onHeadersComplete(http_parser *parser)
    {
        UpstreamConnection *c = self(parser);
        if (parser->status_code >= 100 && parser->status_code < 200) {
            c->m_headers.clear(); // an interim response; the real one follows
            return 0;
        }
        const qint64 contentLength
            = (parser->flags & F_CHUNKED) || parser->content_length == ULLONG_MAX ? -1 : qint64(parser->content_length);
        http::HeaderList headers = c->m_headers.take();
        if (c->m_listener)
            c->m_listener->onResponseHead(int(parser->status_code), headers, contentLength);
        return 0;
    }

    static int onBody(http_parser *parser, const char *at, size_t length)
    {
        UpstreamConnection *c = self(parser);
        if (c->m_listener)
            c->m_listener->onResponseBody(QByteArrayView(at, qsizetype(length)));
        return 0;
    }

    static int onMessageComplete(http_parser *parser)
    {
        UpstreamConnection *c = self(parser);
        if (parser->status_code >= 100 && parser->status_code < 200)
            return 0;
        c->m_messageComplete = true;
        http_parser_pause(parser, 1);
        return 0;
    }

    static const http_parser_settings &settings()
    {
        static const http_parser_settings s = [] {
            http_parser_settings settings;
            http_parser_settings_init(&settings);
            settings.on_header_field = onHeaderField;
            settings.on_header_value = onHeaderValue;
            settings.on_headers_complete = onHeadersComplete;
            settings.on_body = onBody;
            settings.on_message_complete = onMessageComplete;
            return settings;
        }();
        return s;
    }
};

UpstreamConnection::UpstreamConnection(const Origin &origin, const QSslConfiguration *tls, QObject *parent)
    : QObject(parent), m_origin(origin), m_parser(std::make_unique<http_parser>())
{
    if (origin.tls) {
        auto *socket = new QSslSocket(this);
        if (tls)
            socket->setSslConfiguration(*tls);
        socket->setPeerVerifyName(origin.host);
        connect(socket, &QSslSocket::encrypted, this, [this] {
            if (m_listener)
                m_listener->onConnected();
        });
        connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            qCWarning(lcUpstream) << "TLS verification failed for" << m_origin.host << ":"
                                  << (errors.isEmpty() ? QString() : errors.first().errorString());
            fail(UpstreamError::TlsFailed);
        });
        m_socket = socket;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, [this] {
            if (m_listener)
                m_listener->onConnected();
        });
    }
    m_socket->setReadBufferSize(kSocketReadBuffer);
    connect(m_socket, &QTcpSocket::readyRead, this, &UpstreamConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &UpstreamConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &UpstreamConnection::onSocketError);
    http_parser_init(m_parser.get(), HTTP_RESPONSE);
    m_parser->data = this;
}

UpstreamConnection::~UpstreamConnection() = default;

bool UpstreamConnection::isConnected() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

void UpstreamConnection::connectToOrigin()
{
    if (m_origin.tls)
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_origin.host, m_origin.port);
    else
        m_socket->connectToHost(m_origin.host, m_origin.port);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
}

void UpstreamConnection::send(QByteArrayView head, QByteArrayView body, ConnectionListener *listener)
{
    m_listener = listener;
    m_reusable = false;
    m_receivedBytes = false;
    m_messageComplete = false;
    m_paused = false;
    m_headers.clear();
    ++m_exchanges;
    http_parser_pause(m_parser.get(), 0);
    m_socket->write(head.data(), head.size());
    if (!body.isEmpty())
        m_socket->write(body.data(), body.size());
    // While connecting, Qt sends the buffered request once the connection (and TLS) is up.
    if (isConnected() && (!m_origin.tls || static_cast<QSslSocket *>(m_socket)->isEncrypted()))
        m_socket->flush();
}

void UpstreamConnection::detach()
{
    m_listener = nullptr;
    m_reusable = false;
    m_socket->abort();
}

void UpstreamConnection::setReadPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused && m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &UpstreamConnection::onReadyRead, Qt::QueuedConnection);
}

void UpstreamConnection::onReadyRead()
{
    if (!m_listener) {
        // Bytes on an idle connection: the peer is not speaking HTTP/1.1 as we expect.
        if (m_socket->bytesAvailable() > 0)
            m_socket->abort();
        return;
    }
    if (m_parsing)
        return;
    static thread_local char buffer[kReadChunk];
    while (m_listener && !m_paused) {
        const qint64 n = m_socket->read(buffer, kReadChunk);
        if (n <= 0)
            break;
        m_receivedBytes = true;
        m_parsing = true;
        const size_t parsed = http_parser_execute(m_parser.get(), &ResponseCallbacks::settings(), buffer, size_t(n));
        m_parsing = false;
        if (!m_listener)
            return; // detached from inside a callback
        if (m_messageComplete) {
            // Bytes after the response, or "Connection: close": don't reuse.
            m_reusable
                = http_should_keep_alive(m_parser.get()) && qint64(parsed) == n && m_socket->bytesAvailable() == 0;
            ConnectionListener *listener = m_listener;
            m_listener = nullptr;
            listener->onResponseComplete();
            return;
        }
        if (HTTP_PARSER_ERRNO(m_parser.get()) != HPE_OK) {
            fail(UpstreamError::ProtocolError);
            return;
        }
    }
}

void UpstreamConnection::onDisconnected()
{
    if (!m_listener) {
        emit idleClosed();
        return;
    }
    if (m_socket->bytesAvailable() > 0 && !m_paused)
        onReadyRead();
    if (!m_listener)
        return;
    // Tell the parser about the end: a body delimited by the connection's end completes here.
    if (m_receivedBytes) {
        http_parser_execute(m_parser.get(), &ResponseCallbacks::settings(), nullptr, 0);
        if (m_messageComplete && m_listener) {
            ConnectionListener *listener = m_listener;
            m_listener = nullptr;
            listener->onResponseComplete();
            return;
        }
    }
    fail(UpstreamError::ConnectionLost);
}

void UpstreamConnection::onSocketError()
{
    if (!m_listener) {
        emit idleClosed();
        return;
    }
    switch (m_socket->error()) {
    case QAbstractSocket::RemoteHostClosedError:
        onDisconnected();
        return;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        fail(UpstreamError::TlsFailed);
        return;
    default:
        fail(m_receivedBytes || isConnected() ? UpstreamError::ConnectionLost : UpstreamError::ConnectFailed);
    }
}

void UpstreamConnection::fail(UpstreamError error)
{
    ConnectionListener *listener = m_listener;
    m_listener = nullptr;
    m_reusable = false;
    m_socket->abort();
    if (listener)
        listener->onConnectionError(error);
}

} // namespace sy::upstream
