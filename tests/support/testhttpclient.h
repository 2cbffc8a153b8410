// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QByteArray>
#include <QList>
#include <QObject>

class QTcpSocket;
struct http_parser;

namespace sy::testsupport {

// A raw HTTP/1.1 client for tests: sends exactly the bytes given and parses what comes
// back, keeping each body piece as it arrived. Never blocks the event loop, so servers on
// the same thread keep running while it waits.
class TestHttpClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestHttpClient)

public:
    struct Response
    {
        int status = 0;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QList<QByteArray> pieces; // body as it arrived, one entry per parser callback
        bool complete = false;
        QByteArray header(QByteArrayView name) const;
    };

    explicit TestHttpClient(QObject *parent = nullptr);
    ~TestHttpClient() override;

    bool connectTo(quint16 port, int timeoutMs = 5000);
    void sendRaw(const QByteArray &bytes);
    // A request with Host and Content-Length filled in.
    void send(const QByteArray &method, const QByteArray &target,
              const QList<std::pair<QByteArray, QByteArray>> &headers, const QByteArray &body = {});
    bool waitForResponses(int count, int timeoutMs = 10000);
    bool waitForHead(int timeoutMs = 10000); // the current response's status line and headers
    bool waitForBody(qsizetype bytes, int timeoutMs = 10000); // the current response's body so far
    bool waitForDisconnected(int timeoutMs = 10000);
    void abort();
    void pauseReading(bool paused);
    // A small kernel buffer, so that a paused client pushes back at once (Linux may
    // otherwise buffer tens of MiB per loopback socket).
    void setReceiveBufferSize(int bytes);

    QList<Response> responses() const { return m_responses; }
    const Response &current() const { return m_current; }
    bool isConnected() const;
    bool sawParseError() const { return m_parseError; }

private:
    friend struct ClientCallbacks;
    void onReadyRead();

    QTcpSocket *m_socket;
    std::unique_ptr<http_parser> m_parser;
    QList<Response> m_responses;
    Response m_current;
    bool m_inValue = false;
    bool m_headComplete = false;
    bool m_parseError = false;
    bool m_paused = false;
};

} // namespace sy::testsupport
