// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "mockconnection.h"

#include <http_parser.h>

#include <QTcpSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace sy::testsupport {

namespace {

MockConnection *self(http_parser *parser)
{
    return static_cast<MockConnection *>(parser->data);
}

const http_parser_settings &parserSettings()
{
    static const http_parser_settings settings = [] {
        http_parser_settings s {};
        s.on_message_begin = [](http_parser *) { return 0; };
        s.on_url = [](http_parser *p, const char *at, size_t n) { return self(p)->onUrl(at, n); };
        s.on_header_field = [](http_parser *p, const char *at, size_t n) { return self(p)->onHeaderField(at, n); };
        s.on_header_value = [](http_parser *p, const char *at, size_t n) { return self(p)->onHeaderValue(at, n); };
        s.on_headers_complete = [](http_parser *p) { return self(p)->onHeadersComplete(); };
        s.on_body = [](http_parser *p, const char *at, size_t n) { return self(p)->onBody(at, n); };
        s.on_message_complete = [](http_parser *p) { return self(p)->onMessageComplete(); };
        return s;
    }();
    return settings;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return QByteArrayLiteral("Continue");
    case 200:
        return QByteArrayLiteral("OK");
    case 201:
        return QByteArrayLiteral("Created");
    case 204:
        return QByteArrayLiteral("No Content");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 401:
        return QByteArrayLiteral("Unauthorized");
    case 403:
        return QByteArrayLiteral("Forbidden");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 408:
        return QByteArrayLiteral("Request Timeout");
    case 413:
        return QByteArrayLiteral("Payload Too Large");
    case 422:
        return QByteArrayLiteral("Unprocessable Entity");
    case 429:
        return QByteArrayLiteral("Too Many Requests");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    case 502:
        return QByteArrayLiteral("Bad Gateway");
    case 503:
        return QByteArrayLiteral("Service Unavailable");
    case 504:
        return QByteArrayLiteral("Gateway Timeout");
    case 529:
        return QByteArrayLiteral("Overloaded"); // Anthropic's overloaded_error
    default:
        return QByteArrayLiteral("Unknown");
    }
}

bool hasHeader(const QList<MockUpstream::Header> &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArray httpChunk(const QByteArray &data)
{
    QByteArray out;
    out.reserve(data.size() + 12);
    out += QByteArray::number(data.size(), 16);
    out += "\r\n";
    out += data;
    out += "\r\n";
    return out;
}

} // namespace

MockConnection::MockConnection(QTcpSocket *socket, int id, QObject *parent)
    : QObject(parent), m_socket(socket), m_id(id), m_parser(std::make_unique<http_parser>())
{
    m_socket->setParent(this);
    // Events must leave when written: with Nagle on, a small write waits for the peer's
    // delayed ACK (40 ms), which turns every keep-alive exchange into a stall.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    http_parser_init(m_parser.get(), HTTP_REQUEST);
    m_parser->data = this;
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &MockConnection::advance);
    connect(m_socket, &QTcpSocket::readyRead, this, &MockConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &MockConnection::onDisconnected);
}

MockConnection::~MockConnection() = default;

void MockConnection::setHandlers(RequestHandler onRequest, ClosedHandler onClosed)
{
    m_onRequest = std::move(onRequest);
    m_onClosed = std::move(onClosed);
    // Bytes may have arrived before anyone listened (a TLS handshake finishing early).
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

qint64 MockConnection::unsentBytes() const
{
    return m_socket->bytesToWrite();
}

void MockConnection::abort()
{
    m_socket->abort();
    onDisconnected();
}

int MockConnection::onUrl(const char *at, size_t length)
{
    m_current.target.append(at, qsizetype(length));
    return 0;
}

int MockConnection::onHeaderField(const char *at, size_t length)
{
    if (m_lastWasValue || m_current.headers.isEmpty())
        m_current.headers.append(MockUpstream::Header());
    m_current.headers.last().first.append(at, qsizetype(length));
    m_lastWasValue = false;
    return 0;
}

int MockConnection::onHeaderValue(const char *at, size_t length)
{
    m_current.headers.last().second.append(at, qsizetype(length));
    m_lastWasValue = true;
    return 0;
}

int MockConnection::onHeadersComplete()
{
    m_current.method = http_method_str(static_cast<http_method>(m_parser->method));
    // curl sends this for bodies over 1 KiB and waits a second for the go-ahead.
    if (m_current.header("expect").compare(QByteArrayView("100-continue"), Qt::CaseInsensitive) == 0)
        m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
    return 0;
}

int MockConnection::onBody(const char *at, size_t length)
{
    m_current.body.append(at, qsizetype(length));
    return 0;
}

int MockConnection::onMessageComplete()
{
    m_current.connectionId = m_id;
    m_pending.append({std::move(m_current), http_should_keep_alive(m_parser.get()) != 0});
    m_current = {};
    m_lastWasValue = false;
    return 0;
}

void MockConnection::onReadyRead()
{
    if (m_closing || !m_onRequest)
        return;
    const QByteArray data = m_socket->readAll();
    const size_t parsed = http_parser_execute(m_parser.get(), &parserSettings(), data.constData(), size_t(data.size()));
    if (m_parser->upgrade || parsed != size_t(data.size()) || HTTP_PARSER_ERRNO(m_parser.get()) != HPE_OK) {
        // Answer what parsed cleanly first? A broken request ends the connection, as servers do.
        m_socket->write(
            QByteArrayLiteral("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        m_closing = true;
        m_pending.clear();
        m_socket->disconnectFromHost();
        return;
    }
    processNext();
}

void MockConnection::processNext()
{
    while (!m_busy && !m_closing && !m_pending.isEmpty()) {
        Pending next = m_pending.takeFirst();
        m_busy = true;
        m_currentKeepAlive = next.keepAlive;
        m_onRequest(this, next.request);
    }
}

void MockConnection::respond(const MockUpstream::Script &script)
{
    m_steps = compile(script, m_currentKeepAlive);
    // The head leaves with the first write that follows it at once: one send, not two.
    if (m_steps.size() > 1 && m_steps.at(0).kind == Step::Write && m_steps.at(1).kind == Step::Write
        && m_steps.at(1).delayMs == 0) {
        m_steps[0].bytes += m_steps.at(1).bytes;
        m_steps.removeAt(1);
    }
    m_next = 0;
    m_waited = false;
    advance();
}

QList<MockConnection::Step> MockConnection::compile(const MockUpstream::Script &script, bool keepAlive) const
{
    using Fault = MockUpstream::Fault;
    QList<Step> steps;
    const bool closeAfter = script.closeAfter || !keepAlive;
    const int firstDelay = script.headerDelayMs;

    switch (script.fault) {
    case Fault::CloseBeforeResponse:
        return {{Step::Close, firstDelay, {}}};
    case Fault::ResetBeforeResponse:
        return {{Step::Reset, firstDelay, {}}};
    case Fault::Stall:
        return {}; // no steps, never finishes: the connection stays busy until the peer leaves
    default:
        break;
    }

    if (!script.raw.isEmpty()) {
        steps.append({Step::Write, firstDelay, script.raw});
        if (script.fault == Fault::ResetAfterHeaders || script.fault == Fault::ResetAfterChunks)
            steps.append({Step::Reset, 10, {}}); // e.g. half a status line, then RST
        else
            steps.append({closeAfter ? Step::Close : Step::Finish, 0, {}});
        return steps;
    }

    const bool chunked = !script.chunks.isEmpty();
    QByteArray head;
    head.reserve(512);
    head += "HTTP/1.1 ";
    head += QByteArray::number(script.status);
    head += ' ';
    head += script.reason.isEmpty() ? reasonPhrase(script.status) : script.reason;
    head += "\r\n";
    for (const auto &[name, value] : script.headers) {
        head += name;
        head += ": ";
        head += value;
        head += "\r\n";
    }
    if (!hasHeader(script.headers, "content-length") && !hasHeader(script.headers, "transfer-encoding")) {
        if (chunked) {
            head += "transfer-encoding: chunked\r\n";
        } else {
            head += "content-length: ";
            head += QByteArray::number(script.body.size());
            head += "\r\n";
        }
    }
    if (closeAfter)
        head += "connection: close\r\n";
    else
        head += "connection: keep-alive\r\n";
    head += "\r\n";
    steps.append({Step::Write, firstDelay, head});

    if (script.fault == Fault::ResetAfterHeaders) {
        // A short gap, so the peer sees the headers as their own event before the reset.
        steps.append({Step::Reset, 10, {}});
        return steps;
    }

    const bool faultAfterData = script.fault == Fault::CloseAfterChunks || script.fault == Fault::ResetAfterChunks;
    const Step::Kind faultStep = script.fault == Fault::ResetAfterChunks ? Step::Reset : Step::Close;

    if (chunked) {
        for (qsizetype i = 0; i < script.chunks.size(); ++i) {
            if (faultAfterData && i == script.faultAfter) {
                steps.append({faultStep, script.chunkDelayMs > 0 ? script.chunkDelayMs : 0, {}});
                return steps;
            }
            const MockUpstream::Chunk &chunk = script.chunks.at(i);
            const int delay = script.chunkDelayMs >= 0 ? (i == 0 ? 0 : script.chunkDelayMs) : chunk.delayMs;
            steps.append({Step::Write, delay, httpChunk(chunk.data)});
        }
        if (faultAfterData) {
            steps.append({faultStep, 0, {}});
            return steps;
        }
        steps.append({Step::Write, 0, QByteArrayLiteral("0\r\n\r\n")});
    } else {
        const QByteArray &body = script.body;
        const qsizetype limit = faultAfterData ? qMin<qsizetype>(script.faultAfter, body.size()) : body.size();
        const qsizetype piece = script.bodyPieceSize > 0 ? script.bodyPieceSize : qMax<qsizetype>(limit, 1);
        for (qsizetype at = 0; at < limit; at += piece)
            steps.append({Step::Write, at == 0 ? 0 : script.bodyPieceDelayMs, body.mid(at, qMin(piece, limit - at))});
        if (faultAfterData) {
            steps.append({faultStep, 0, {}});
            return steps;
        }
    }
    steps.append({closeAfter ? Step::Close : Step::Finish, 0, {}});
    return steps;
}

void MockConnection::advance()
{
    while (!m_closing && m_next < m_steps.size()) {
        const Step &step = m_steps.at(m_next);
        if (step.delayMs > 0 && !m_waited) {
            m_waited = true;
            m_timer.start(step.delayMs);
            return;
        }
        m_waited = false;
        ++m_next;
        switch (step.kind) {
        case Step::Write:
            m_socket->write(step.bytes);
            // One send per step, so events leave as separate writes even back to back.
            m_socket->flush();
            break;
        case Step::Close:
            m_closing = true;
            m_socket->disconnectFromHost();
            return;
        case Step::Reset:
            resetConnection();
            return;
        case Step::Finish:
            m_steps.clear();
            m_next = 0;
            m_busy = false;
            processNext();
            return;
        }
    }
}

void MockConnection::resetConnection()
{
    m_closing = true;
    m_socket->flush();
#ifdef Q_OS_UNIX
    // SO_LINGER with a zero timeout turns close() into an RST instead of a FIN.
    const linger option {1, 0};
    ::setsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &option, sizeof option);
#endif
    abort();
}

void MockConnection::onDisconnected()
{
    if (!m_onClosed)
        return;
    m_closing = true;
    m_timer.stop();
    const ClosedHandler handler = std::exchange(m_onClosed, nullptr);
    handler(this);
}

} // namespace sy::testsupport
