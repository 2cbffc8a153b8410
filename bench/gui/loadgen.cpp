// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// bench_guiload PORT RATE SECONDS CLIENT_KEY
// An open-loop load at a fixed rate, the way many tools hitting one gateway look: request
// n is due at n / RATE seconds, whatever the answers before it did, on keep-alive
// connections (a new one whenever none is idle). A mixed session: a third streamed, every
// fifth an Anthropic Messages call, the rest OpenAI chat completions over two models and a
// route; now and then a wrong client key (401), a dead provider (502) or an unknown model.
// Prints one JSON line: requests sent and answered, answers by status, sends that started
// more than 10 ms behind schedule, connections opened, the most in flight, latency p50/p99.
#include <algorithm>

#include <http_parser.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
#include <QTcpSocket>
#include <QTextStream>
#include <QTimer>

namespace {

constexpr int kTickMs = 2;
constexpr qint64 kLateNs = 10'000'000;
constexpr int kDrainMs = 15'000;

class Load;

// One keep-alive connection carrying one request at a time.
struct Connection
{
    QTcpSocket *socket = nullptr;
    http_parser parser {};
    QByteArray pending; // the request, written once connected
    qint64 sentNs = -1; // -1: idle
    bool keepAlive = true;
    Load *load = nullptr;
};

class Load final : public QObject
{
public:
    Load(quint16 port, double rate, int seconds, QByteArray key)
        : m_port(port), m_rate(rate), m_seconds(seconds), m_key(std::move(key))
    {
        m_settings.on_message_complete = [](http_parser *parser) {
            auto *connection = static_cast<Connection *>(parser->data);
            connection->keepAlive = http_should_keep_alive(parser) != 0;
            connection->load->onAnswered(connection, int(parser->status_code));
            return 0;
        };
        m_tick.setTimerType(Qt::PreciseTimer);
        connect(&m_tick, &QTimer::timeout, this, [this] { onTick(); });
        m_clock.start();
        m_tick.start(kTickMs);
    }

    void onAnswered(Connection *connection, int status)
    {
        m_latenciesMs.append(double(m_clock.nsecsElapsed() - connection->sentNs) / 1e6);
        ++m_byStatus[status];
        ++m_answered;
        --m_inFlight;
        connection->sentNs = -1;
        if (connection->keepAlive)
            m_idle.append(connection);
        else
            QTimer::singleShot(0, this, [this, connection] { drop(connection); });
    }

private:
    void onTick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        const qint64 total = qint64(m_rate * m_seconds);
        const qint64 due = std::min(total, qint64(double(now) / 1e9 * m_rate) + 1);
        while (m_sent < due) {
            const qint64 scheduledNs = qint64(double(m_sent) * 1e9 / m_rate);
            if (now - scheduledNs > kLateNs)
                ++m_late;
            send(request(m_sent));
            ++m_sent;
        }
        if (m_sent == total && (m_inFlight == 0 || now > qint64(m_seconds) * 1'000'000'000 + kDrainMs * 1'000'000LL))
            finish();
    }

    QByteArray request(qint64 n) const
    {
        QByteArray key = m_key;
        if (n % 17 == 5)
            key = "sy-not-a-valid-key";
        const bool stream = n % 3 == 0;
        const QByteArray streamText = stream ? "true" : "false";
        QByteArray path;
        QByteArray headers;
        QByteArray body;
        if (n % 5 == 1) {
            static const QByteArray models[] = {"anthropic/claude-sonnet-4-5", "anthropic/claude-haiku-4-5"};
            path = "/v1/messages";
            headers = "x-api-key: " + key + "\r\nanthropic-version: 2023-06-01\r\n";
            body = "{\"model\":\"" + models[n % 2] + "\",\"max_tokens\":64,\"stream\":" + streamText
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in one word.\"}]}";
        } else {
            static const QByteArray models[] = {"openai/gpt-4o-mini", "fast", "openai/gpt-4.1", "xai/grok-4.6"};
            QByteArray model = models[n % 4];
            if (n % 23 == 7)
                model = "dead/llama-3.1-8b";
            if (n % 29 == 11)
                model = "no-such-model";
            path = "/v1/chat/completions";
            headers = "Authorization: Bearer " + key + "\r\n";
            body = "{\"model\":\"" + model + "\",\"stream\":" + streamText
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in one word.\"}]}";
        }
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + headers
            + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }

    void send(const QByteArray &bytes)
    {
        ++m_inFlight;
        m_maxInFlight = std::max(m_maxInFlight, m_inFlight);
        Connection *connection = nullptr;
        if (!m_idle.isEmpty()) {
            connection = m_idle.takeLast();
        } else {
            connection = open();
        }
        connection->sentNs = m_clock.nsecsElapsed();
        if (connection->socket->state() == QAbstractSocket::ConnectedState)
            connection->socket->write(bytes);
        else
            connection->pending = bytes;
    }

    Connection *open()
    {
        ++m_opened;
        auto *connection = new Connection;
        connection->load = this;
        m_connections.insert(connection);
        connection->socket = new QTcpSocket(this);
        http_parser_init(&connection->parser, HTTP_RESPONSE);
        connection->parser.data = connection;
        QTcpSocket *socket = connection->socket;
        connect(socket, &QTcpSocket::connected, this, [connection] {
            connection->socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            connection->socket->write(std::exchange(connection->pending, {}));
        });
        connect(socket, &QTcpSocket::readyRead, this, [this, connection] {
            const QByteArray data = connection->socket->readAll();
            const size_t parsed
                = http_parser_execute(&connection->parser, &m_settings, data.constData(), size_t(data.size()));
            if (parsed != size_t(data.size()) || HTTP_PARSER_ERRNO(&connection->parser) != HPE_OK) {
                ++m_errors;
                fail(connection);
            }
        });
        connect(socket, &QTcpSocket::disconnected, this, [this, connection] {
            // An answer delimited by the close ends here.
            http_parser_execute(&connection->parser, &m_settings, nullptr, 0);
            fail(connection);
        });
        connect(socket, &QTcpSocket::errorOccurred, this, [this, connection](QAbstractSocket::SocketError error) {
            if (error != QAbstractSocket::RemoteHostClosedError)
                ++m_errors;
            fail(connection);
        });
        socket->connectToHost(QStringLiteral("127.0.0.1"), m_port);
        return connection;
    }

    // The connection ended: a request still on it counts as lost.
    void fail(Connection *connection)
    {
        if (connection->sentNs >= 0) {
            connection->sentNs = -1;
            --m_inFlight;
            ++m_lost;
        }
        m_idle.removeAll(connection);
        QTimer::singleShot(0, this, [this, connection] { drop(connection); });
    }

    void drop(Connection *connection)
    {
        if (!m_connections.contains(connection))
            return;
        m_connections.remove(connection);
        m_idle.removeAll(connection);
        connection->socket->disconnect(this);
        connection->socket->abort();
        connection->socket->deleteLater();
        delete connection;
    }

    void finish()
    {
        m_tick.stop();
        std::sort(m_latenciesMs.begin(), m_latenciesMs.end());
        const auto at = [this](double q) {
            return m_latenciesMs.isEmpty() ? 0.0 : m_latenciesMs.at(qsizetype(q * double(m_latenciesMs.size() - 1)));
        };
        QTextStream out(stdout);
        out << "{\"sent\":" << m_sent << ",\"answered\":" << m_answered << ",\"lost\":" << m_lost
            << ",\"socket_errors\":" << m_errors << ",\"late\":" << m_late << ",\"connections\":" << m_opened
            << ",\"max_in_flight\":" << m_maxInFlight << ",\"latency_p50_ms\":" << at(0.5)
            << ",\"latency_p99_ms\":" << at(0.99) << ",\"by_status\":{";
        bool first = true;
        for (auto it = m_byStatus.cbegin(); it != m_byStatus.cend(); ++it) {
            out << (first ? "" : ",") << "\"" << it.key() << "\":" << it.value();
            first = false;
        }
        out << "}}\n";
        out.flush();
        QCoreApplication::exit(m_answered > 0 ? 0 : 1);
    }

    quint16 m_port;
    double m_rate;
    int m_seconds;
    QByteArray m_key;
    http_parser_settings m_settings {};
    QTimer m_tick;
    QElapsedTimer m_clock;
    QSet<Connection *> m_connections;
    QList<Connection *> m_idle;
    QMap<int, qint64> m_byStatus;
    QList<double> m_latenciesMs;
    qint64 m_sent = 0;
    qint64 m_answered = 0;
    qint64 m_lost = 0;
    qint64 m_errors = 0;
    qint64 m_late = 0;
    qint64 m_opened = 0;
    qint64 m_inFlight = 0;
    qint64 m_maxInFlight = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 5) {
        QTextStream(stderr) << "usage: bench_guiload PORT RATE SECONDS CLIENT_KEY\n";
        return 2;
    }
    Load load(quint16(args.at(1).toUInt()), args.at(2).toDouble(), args.at(3).toInt(), args.at(4).toUtf8());
    return QCoreApplication::exec();
}
