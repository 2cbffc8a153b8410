// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "testhttpclient.h"

#include <http_parser.h>

#include <QTcpSocket>
#include <QTest>

namespace sy::testsupport {

QByteArray TestHttpClient::Response::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

struct ClientCallbacks
{
    static TestHttpClient *self(http_parser *p) { return static_cast<TestHttpClient *>(p->data); }
    static int onField(http_parser *p, const char *at, size_t n)
    {
        TestHttpClient *c = self(p);
        if (c->m_inValue || c->m_current.headers.isEmpty()) {
            c->m_current.headers.append(std::pair<QByteArray, QByteArray> {});
            c->m_inValue = false;
        }
        c->m_current.headers.last().first.append(at, qsizetype(n));
        return 0;
    }
    static int onValue(http_parser *p, const char *at, size_t n)
    {
        TestHttpClient *c = self(p);
        c->m_inValue = true;
        c->m_current.headers.last().second.append(at, qsizetype(n));
        return 0;
    }
    static int onHeadersComplete(http_parser *p)
    {
        TestHttpClient *c = self(p);
        c->m_current.status = int(p->status_code);
        if (p->status_code == 100) {
            c->m_current = {};
            return 0;
        }
        c->m_headComplete = true;
        return 0;
    }
    static int onBody(http_parser *p, const char *at, size_t n)
    {
        TestHttpClient *c = self(p);
        c->m_current.body.append(at, qsizetype(n));
        c->m_current.pieces.append(QByteArray(at, qsizetype(n)));
        return 0;
    }
    static int onComplete(http_parser *p)
    {
        TestHttpClient *c = self(p);
        if (p->status_code == 100)
            return 0;
        c->m_current.complete = true;
        c->m_responses.append(c->m_current);
        c->m_current = {};
        c->m_headComplete = false;
        c->m_inValue = false;
        return 0;
    }
    static const http_parser_settings &settings()
    {
        static const http_parser_settings s = [] {
            http_parser_settings settings;
            http_parser_settings_init(&settings);
            settings.on_header_field = onField;
            settings.on_header_value = onValue;
            settings.on_headers_complete = onHeadersComplete;
            settings.on_body = onBody;
            settings.on_message_complete = onComplete;
            return settings;
        }();
        return s;
    }
};

TestHttpClient::TestHttpClient(QObject *parent)
    : QObject(parent), m_socket(new QTcpSocket(this)), m_parser(std::make_unique<http_parser>())
{
    http_parser_init(m_parser.get(), HTTP_RESPONSE);
    m_parser->data = this;
    connect(m_socket, &QTcpSocket::readyRead, this, &TestHttpClient::onReadyRead);
}

TestHttpClient::~TestHttpClient() = default;

bool TestHttpClient::connectTo(quint16 port, int timeoutMs)
{
    m_socket->connectToHost(QStringLiteral("127.0.0.1"), port);
    return QTest::qWaitFor([this] { return m_socket->state() == QAbstractSocket::ConnectedState; }, timeoutMs);
}

void TestHttpClient::sendRaw(const QByteArray &bytes)
{
    m_socket->write(bytes);
    m_socket->flush();
}

void TestHttpClient::send(const QByteArray &method, const QByteArray &target,
                          const QList<std::pair<QByteArray, QByteArray>> &headers, const QByteArray &body)
{
    QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto &[name, value] : headers)
        request += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "POST")
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    sendRaw(request);
}

void TestHttpClient::onReadyRead()
{
    if (m_paused)
        return;
    const QByteArray data = m_socket->readAll();
    if (data.isEmpty())
        return; // a zero-length feed means end of stream to http_parser
    const size_t parsed
        = http_parser_execute(m_parser.get(), &ClientCallbacks::settings(), data.constData(), size_t(data.size()));
    if (parsed != size_t(data.size()) || HTTP_PARSER_ERRNO(m_parser.get()) != HPE_OK) {
        if (!m_parseError)
            qWarning("TestHttpClient: %s after %zu of %lld bytes", http_errno_name(HTTP_PARSER_ERRNO(m_parser.get())),
                     parsed, qlonglong(data.size()));
        m_parseError = true;
    }
}

bool TestHttpClient::waitForResponses(int count, int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_responses.size() >= count; }, timeoutMs);
}

bool TestHttpClient::waitForHead(int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_headComplete || !m_responses.isEmpty(); }, timeoutMs);
}

bool TestHttpClient::waitForBody(qsizetype bytes, int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_current.body.size() >= bytes; }, timeoutMs);
}

bool TestHttpClient::waitForDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_socket->state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
}

void TestHttpClient::abort()
{
    m_socket->abort();
}

void TestHttpClient::setReceiveBufferSize(int bytes)
{
    m_socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, bytes);
}

void TestHttpClient::pauseReading(bool paused)
{
    m_paused = paused;
    m_socket->setReadBufferSize(paused ? 1 : 0);
    if (!paused)
        onReadyRead();
}

bool TestHttpClient::isConnected() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

} // namespace sy::testsupport
