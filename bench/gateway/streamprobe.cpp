// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// bench_streamprobe PORT COUNT [HEADER: VALUE]...
// Sends COUNT streamed chat completions, one after another on one keep-alive connection,
// and prints one JSON line: the median and 90th percentile time from the request's last
// byte leaving to the first SSE event arriving, and how many reads carried more than one
// event (a proxy that merges events shows them; with events sent 20 ms apart there
// should be none).
#include <algorithm>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTextStream>
#include <QTimer>

namespace {

constexpr QByteArrayView kBody
    = "{\"model\":\"MODEL\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

class Probe final : public QObject
{
public:
    Probe(quint16 port, int count, QByteArray model, QList<QByteArray> headers)
        : m_count(count), m_model(std::move(model)), m_headers(std::move(headers))
    {
        connect(&m_socket, &QTcpSocket::connected, this, [this] { next(); });
        connect(&m_socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
        connect(&m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
            // Some servers close after each stream: that ends the response; reconnect.
            // A request that met a closing connection is sent again on a new one.
            if (error == QAbstractSocket::RemoteHostClosedError && m_reconnectsWithoutProgress < 5) {
                if (m_first >= 0) {
                    ++m_done;
                    m_reconnectsWithoutProgress = 0;
                } else {
                    ++m_reconnectsWithoutProgress;
                }
                m_first = -1;
                QTimer::singleShot(0, this, [this] {
                    m_socket.abort();
                    connectToServer();
                });
                return;
            }
            finish(QStringLiteral("socket error: ") + m_socket.errorString());
        });
        m_port = port;
        connectToServer();
    }

    void connectToServer()
    {
        if (m_done == m_count) {
            finish({});
            return;
        }
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), m_port);
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    }

private:
    void next()
    {
        if (m_done == m_count) {
            finish({});
            return;
        }
        QByteArray body = kBody.toByteArray().replace("MODEL", m_model);
        QByteArray request
            = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
        for (const QByteArray &header : std::as_const(m_headers))
            request += header + "\r\n";
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        m_first = -1;
        m_clock.start(); // before the write: a probe preempted after it would start late
        m_socket.write(request);
        m_socket.flush();
    }

    void onReadyRead()
    {
        const QByteArray data = m_socket.readAll();
        const qint64 elapsed = m_clock.nsecsElapsed();
        const qsizetype events = data.count("data: ");
        if (qEnvironmentVariableIsSet("PROBE_TRACE"))
            QTextStream(stderr) << m_done << " " << elapsed / 1000 << "us " << data.size() << " bytes, " << events
                                << " events, starts " << data.left(12).toPercentEncoding() << "\n";
        m_events += events;
        if (events > 1)
            ++m_mergedReads;
        if (m_first < 0 && events > 0) {
            m_first = elapsed;
            m_firsts.append(elapsed / 1000.0);
        }
        // The terminating chunk of a chunked response ends this request.
        if (data.endsWith("0\r\n\r\n")) {
            ++m_done;
            m_first = -2; // answered: a close now is not a response ending
            QTimer::singleShot(0, this, [this] { next(); });
        }
    }

    void finish(const QString &error)
    {
        QTextStream out(stdout);
        if (!error.isEmpty() || m_firsts.isEmpty()) {
            out << "{\"error\":\"" << (error.isEmpty() ? QStringLiteral("no events") : error) << "\"}\n";
            QCoreApplication::exit(1);
            return;
        }
        std::sort(m_firsts.begin(), m_firsts.end());
        out << "{\"requests\":" << m_done << ",\"first_event_p50_us\":" << m_firsts.at(m_firsts.size() / 2)
            << ",\"first_event_p90_us\":" << m_firsts.at(m_firsts.size() * 9 / 10) << ",\"events\":" << m_events
            << ",\"merged_reads\":" << m_mergedReads << "}\n";
        QCoreApplication::exit(0);
    }

    QTcpSocket m_socket;
    quint16 m_port = 0;
    int m_reconnectsWithoutProgress = 0;
    QElapsedTimer m_clock;
    int m_count;
    int m_done = 0;
    QByteArray m_model;
    QList<QByteArray> m_headers;
    qint64 m_first = -1;
    QList<double> m_firsts;
    qint64 m_events = 0;
    qint64 m_mergedReads = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4) {
        QTextStream(stderr) << "usage: bench_streamprobe PORT COUNT MODEL [HEADER: VALUE]...\n";
        return 2;
    }
    QList<QByteArray> headers;
    for (qsizetype i = 4; i < args.size(); ++i)
        headers.append(args.at(i).toUtf8());
    Probe probe(quint16(args.at(1).toUInt()), args.at(2).toInt(), args.at(3).toUtf8(), headers);
    return QCoreApplication::exec();
}
