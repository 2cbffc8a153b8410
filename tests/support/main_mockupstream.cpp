// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// sy-mock-upstream: MockUpstream's default behaviour as a process, for benchmarks and manual
// runs. Prints "listening on http(s)://127.0.0.1:PORT" once ready, serves until SIGTERM/SIGINT.
#include <csignal>
#include <cstdio>

#include <sys/socket.h>
#include <unistd.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QSocketNotifier>
#include <QSslCertificate>
#include <QSslKey>

#include "mockupstream.h"

namespace {

int g_signalPipe[2] = {-1, -1};

// Only async-signal-safe work here: the event loop reads the pipe and quits.
void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sy-mock-upstream"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A scripted OpenAI/Anthropic upstream for tests and benchmarks."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port (0: any free one)."),
                                        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption certOption(QStringLiteral("tls-cert"), QStringLiteral("PEM certificate: serve https."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption keyOption(QStringLiteral("tls-key"), QStringLiteral("PEM private key for --tls-cert."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption delayOption(QStringLiteral("stream-delay-ms"),
                                         QStringLiteral("Delay between streamed events."), QStringLiteral("N"),
                                         QStringLiteral("0"));
    const QCommandLineOption latencyOption(QStringLiteral("latency-ms"),
                                           QStringLiteral("Delay before every answer's status line (a provider's "
                                                          "time to first byte)."),
                                           QStringLiteral("N"), QStringLiteral("0"));
    parser.addOptions({portOption, certOption, keyOption, delayOption, latencyOption});
    parser.process(app);

    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535) {
        std::fprintf(stderr, "sy-mock-upstream: bad --port\n");
        return 2;
    }
    const int delay = parser.value(delayOption).toInt(&ok);
    if (!ok || delay < 0) {
        std::fprintf(stderr, "sy-mock-upstream: bad --stream-delay-ms\n");
        return 2;
    }

    const int latency = parser.value(latencyOption).toInt(&ok);
    if (!ok || latency < 0) {
        std::fprintf(stderr, "sy-mock-upstream: bad --latency-ms\n");
        return 2;
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0) {
        std::perror("sy-mock-upstream: socketpair");
        return 1;
    }
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [] { QCoreApplication::quit(); });
    struct sigaction action
    { };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);

    sy::testsupport::MockUpstream upstream;
    upstream.setRecordRequests(false); // a benchmark sends millions; nobody reads them here
    upstream.setStreamDelay(delay);
    if (latency > 0) {
        auto slow = sy::testsupport::MockUpstream::Script::defaultResponse();
        slow.headerDelayMs = latency;
        slow.times = -1; // every request
        upstream.enqueue(slow);
    }

    bool listening = false;
    if (parser.isSet(certOption) || parser.isSet(keyOption)) {
        const QSslCertificate certificate(readFile(parser.value(certOption)), QSsl::Pem);
        const QByteArray keyPem = readFile(parser.value(keyOption));
        QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
        if (certificate.isNull() || key.isNull()) {
            std::fprintf(stderr, "sy-mock-upstream: cannot read --tls-cert/--tls-key\n");
            return 2;
        }
        listening = upstream.listenTls(certificate, key, quint16(port));
    } else {
        listening = upstream.listen(quint16(port));
    }
    if (!listening) {
        std::fprintf(stderr, "sy-mock-upstream: %s\n", qPrintable(upstream.errorString()));
        return 1;
    }
    std::printf("listening on %s\n", upstream.baseUrl().toString().toUtf8().constData());
    std::fflush(stdout);

    const int code = app.exec();
    upstream.close();
    return code;
}
