// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// A real `serve` under faults of its environment: the file descriptor limit reached
// (the listener waits without spinning, and answers once descriptors free up), and a
// full disk under the store and the lock file (a small tmpfs mounted in a mount namespace
// private to this test, so nothing shows outside it; skipped where mounting is not
// allowed): the gateway keeps serving, rows are kept, counted in /metrics and written
// when space returns, the database intact.
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "common/usagerecord.h"
#include "mockupstream.h"
#include "serveprocess.h"
#include "store/metricsstore.h"
#include "testhttpclient.h"

using namespace sy::testsupport;

namespace {

const QByteArray kBody = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})";
const QList<std::pair<QByteArray, QByteArray>> kJson {{"Content-Type", "application/json"}};

QJsonObject configFor(const MockUpstream &upstream)
{
    return {{QStringLiteral("listen"), QStringLiteral("127.0.0.1:0")},
            {QStringLiteral("auth"), QJsonObject {{QStringLiteral("require_client_key"), false}}},
            {QStringLiteral("providers"),
             QJsonArray {QJsonObject {{QStringLiteral("id"), QStringLiteral("openai")},
                                      {QStringLiteral("base_url"), upstream.baseUrl().toString()}}}}};
}

int openDescriptors(qint64 pid)
{
    return int(QDir(QStringLiteral("/proc/%1/fd").arg(pid)).entryList(QDir::Files | QDir::System).size());
}

// utime + stime of a process, in clock ticks.
qint64 cpuTicks(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    return fields.value(11).toLongLong() + fields.value(12).toLongLong();
}

qint64 metric(const QByteArray &text, const QByteArray &name)
{
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(QByteArray(name + ' ')))
            return line.mid(name.size() + 1).toLongLong();
    }
    return -1;
}

QByteArray get(quint16 port, const QByteArray &path, int *status = nullptr)
{
    TestHttpClient client;
    if (!client.connectTo(port))
        return {};
    client.send("GET", path, {});
    if (!client.waitForResponses(1))
        return {};
    if (status)
        *status = client.responses().first().status;
    return client.responses().first().body;
}

int post(quint16 port)
{
    TestHttpClient client;
    if (!client.connectTo(port))
        return 0;
    client.send("POST", "/v1/chat/completions", kJson, kBody);
    return client.waitForResponses(1) ? client.responses().first().status : 0;
}

// Fills the file system holding dir up to its last byte; the filler goes with free().
class DiskFiller
{
public:
    explicit DiskFiller(const QString &dir) : m_path(QDir(dir).filePath(QStringLiteral("filler"))) { }
    ~DiskFiller() { free(); }
    bool fill()
    {
        const int fd = ::open(QFile::encodeName(m_path).constData(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd < 0)
            return false;
        static const QByteArray block(64 * 1024, 'x');
        for (int size = block.size(); size > 0; size /= 2) {
            while (::write(fd, block.constData(), size_t(size)) == size) { }
        }
        ::close(fd);
        return true;
    }
    void free() { QFile::remove(m_path); }

private:
    QString m_path;
};

} // namespace

class TestFaults : public QObject
{
    Q_OBJECT

private:
    bool m_canMount = false;
    QTemporaryDir m_mountPoint;

    // A fresh small tmpfs at the mount point, for one test.
    bool mountTmpfs()
    {
        ::umount2(QFile::encodeName(m_mountPoint.path()).constData(), MNT_DETACH);
        return ::mount("switchyard-test", QFile::encodeName(m_mountPoint.path()).constData(), "tmpfs", 0,
                       "size=8m,mode=0700")
            == 0;
    }

    static qint64 countRows(const QString &databasePath, QString *integrity)
    {
        qint64 count = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("faults"));
            db.setDatabaseName(databasePath);
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
            if (db.open()) {
                QSqlQuery check(QStringLiteral("PRAGMA integrity_check"), db);
                if (check.next())
                    *integrity = check.value(0).toString();
                QSqlQuery query(QStringLiteral("SELECT count(*) FROM requests"), db);
                if (query.next())
                    count = query.value(0).toLongLong();
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("faults"));
        return count;
    }

private slots:
    void initTestCase()
    {
        if (!ServeProcess::binaryHasServe())
            QSKIP("no serve command in this build");
        // A mount namespace of our own: the tmpfs is seen by this process and the serve it
        // starts, never by the rest of the machine, and goes away with the process.
        m_canMount = m_mountPoint.isValid() && ::unshare(CLONE_NEWNS) == 0
            && ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 && mountTmpfs();
        if (!m_canMount)
            qWarning() << "cannot mount a tmpfs here (not root?): the full-disk cases are skipped";
    }

    void fileLimitIsRaisedAtStart()
    {
        rlimit saved {};
        QCOMPARE(::getrlimit(RLIMIT_NOFILE, &saved), 0);
        if (saved.rlim_max <= 256)
            QSKIP("the hard limit leaves nothing to raise");
        rlimit low = saved;
        low.rlim_cur = 256; // the child inherits this soft limit
        QCOMPARE(::setrlimit(RLIMIT_NOFILE, &low), 0);
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        ServeProcess serve;
        const bool started = serve.start(configFor(upstream));
        ::setrlimit(RLIMIT_NOFILE, &saved);
        QVERIFY2(started, qPrintable(serve.errorString()));
        rlimit inForce {};
        QCOMPARE(::prlimit(pid_t(serve.processId()), RLIMIT_NOFILE, nullptr, &inForce), 0);
        QCOMPARE(inForce.rlim_cur, std::min<rlim_t>(saved.rlim_max, 1 << 20));
    }

    void listenerWaitsAtTheDescriptorLimitWithoutSpinning()
    {
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        ServeProcess serve;
        QVERIFY2(serve.start(configFor(upstream)), qPrintable(serve.errorString()));
        const qint64 pid = serve.processId();
        int status = 0;
        get(serve.port(), "/healthz", &status);
        QCOMPARE(status, 200);

        // Room for a handful of connections only, set from outside as an admin would.
        const int room = 8;
        QTRY_COMPARE(openDescriptors(pid), openDescriptors(pid)); // settled
        const rlimit tight {rlim_t(openDescriptors(pid) + room), rlim_t(openDescriptors(pid) + room)};
        QCOMPARE(::prlimit(pid_t(pid), RLIMIT_NOFILE, &tight, nullptr), 0);

        // Idle keep-alive clients take every descriptor left, and more wait in the backlog.
        std::vector<std::unique_ptr<TestHttpClient>> holders;
        for (int i = 0; i < room + 4; ++i) {
            auto client = std::make_unique<TestHttpClient>();
            QVERIFY(client->connectTo(serve.port())); // the kernel completes the handshake
            client->send("GET", "/healthz", {});
            holders.push_back(std::move(client));
        }
        int answered = 0;
        QTRY_VERIFY((answered = int(std::count_if(holders.begin(), holders.end(),
                                                  [](const auto &c) { return c->responses().size() == 1; })))
                    >= room - 2);
        QVERIFY(answered < int(holders.size()));

        // Stuck at the limit: a new /healthz waits, and the process does not spin meanwhile.
        TestHttpClient waiting;
        QVERIFY(waiting.connectTo(serve.port()));
        waiting.send("GET", "/healthz", {});
        const qint64 ticksBefore = cpuTicks(pid);
        QElapsedTimer window;
        window.start();
        QVERIFY(!waiting.waitForResponses(1, 1500)); // the measuring window
        const double cpuShare
            = double(cpuTicks(pid) - ticksBefore) / double(sysconf(_SC_CLK_TCK)) / (double(window.elapsed()) / 1000.0);
        QVERIFY2(cpuShare < 0.2, qPrintable(QStringLiteral("%1 of a core while stuck").arg(cpuShare)));
        QVERIFY(serve.isRunning());

        // Descriptors free up: everyone waiting is answered, and new clients too.
        for (auto &client : holders) {
            if (client->responses().size() == 1)
                client.reset();
        }
        QVERIFY(waiting.waitForResponses(1, 10000));
        QCOMPARE(waiting.responses().first().status, 200);
        for (auto &client : holders) {
            if (client) {
                QVERIFY(client->waitForResponses(1, 10000));
                QCOMPARE(client->responses().first().status, 200);
            }
        }
        holders.clear();
        status = 0;
        QTRY_VERIFY((get(serve.port(), "/healthz", &status), status == 200));
        QCOMPARE(post(serve.port()), 200);
        QVERIFY(serve.terminate());
        QVERIFY2(serve.output().contains("cannot accept connections"), serve.output().constData());
    }

    void fullDiskUnderTheStore()
    {
        if (!m_canMount || !mountTmpfs())
            QSKIP("needs a tmpfs (root)");
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        const QString dataDir = QDir(m_mountPoint.path()).filePath(QStringLiteral("data"));
        QVERIFY(QDir().mkpath(dataDir));
        QFile configFile(QDir(dataDir).filePath(QStringLiteral("config.json")));
        QVERIFY(configFile.open(QIODevice::WriteOnly));
        configFile.write(QJsonDocument(configFor(upstream)).toJson());
        configFile.close();
        ServeProcess serve;
        QVERIFY2(serve.start(configFile.fileName(), dataDir), qPrintable(serve.errorString()));
        const auto metrics = [&] { return get(serve.port(), "/metrics"); };

        for (int i = 0; i < 3; ++i)
            QCOMPARE(post(serve.port()), 200);
        QTRY_COMPARE(metric(metrics(), "switchyard_usage_rows_committed_total"), 3);

        // The disk fills up: requests go on, their rows wait in memory, counted.
        DiskFiller filler(dataDir);
        QVERIFY(filler.fill());
        const int whileFull = 25;
        for (int i = 0; i < whileFull; ++i)
            QCOMPARE(post(serve.port()), 200);
        QTRY_COMPARE(metric(metrics(), "switchyard_usage_rows_pending"), whileFull);
        QVERIFY(metric(metrics(), "switchyard_usage_write_errors_total") > 0);
        QCOMPARE(metric(metrics(), "switchyard_usage_rows_committed_total"), 3);
        QCOMPARE(metric(metrics(), "switchyard_usage_rows_dropped_total"), 0);
        QVERIFY2(serve.output().contains("cannot write usage rows"), serve.output().constData());

        // Space returns: every kept row is written, nothing lost, the database intact.
        filler.free();
        QTRY_COMPARE_WITH_TIMEOUT(metric(metrics(), "switchyard_usage_rows_pending"), 0, 10000);
        QCOMPARE(metric(metrics(), "switchyard_usage_rows_committed_total"), 3 + whileFull);
        QCOMPARE(post(serve.port()), 200);
        QVERIFY(serve.terminate());
        QString integrity;
        QCOMPARE(countRows(QDir(dataDir).filePath(QStringLiteral("usage.sqlite")), &integrity), 3 + whileFull + 1);
        QCOMPARE(integrity, QStringLiteral("ok"));
    }

    void startingOnAFullDiskServesWithHistoryPaused()
    {
        if (!m_canMount || !mountTmpfs())
            QSKIP("needs a tmpfs (root)");
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        const QString dataDir = QDir(m_mountPoint.path()).filePath(QStringLiteral("data"));
        QVERIFY(QDir().mkpath(dataDir));
        QFile configFile(QDir(dataDir).filePath(QStringLiteral("config.json")));
        QVERIFY(configFile.open(QIODevice::WriteOnly));
        configFile.write(QJsonDocument(configFor(upstream)).toJson());
        configFile.close();
        DiskFiller filler(dataDir);
        QVERIFY(filler.fill());

        ServeProcess serve;
        QVERIFY2(serve.start(configFile.fileName(), dataDir), serve.output().constData());
        const QByteArray said = serve.output();
        QVERIFY2(!said.contains("in use by a running Switchyard"), said.constData());
        QVERIFY2(said.contains("switchyard.lock") && said.contains("is full"), said.constData());
        QVERIFY2(said.contains("usage history is paused"), said.constData());

        // A second serve on the same data dir is still refused, with the reason.
        ServeProcess second;
        QVERIFY(!second.start(configFile.fileName(), dataDir, 5000));
        QVERIFY(second.waitForExit());
        QVERIFY2(second.output().contains("is in use by a running Switchyard"), second.output().constData());
        QVERIFY2(!second.output().contains("pid 0"), second.output().constData());

        int status = 0;
        get(serve.port(), "/healthz", &status);
        QCOMPARE(status, 200);
        QCOMPARE(post(serve.port()), 200);
        QTRY_COMPARE(metric(get(serve.port(), "/metrics"), "switchyard_usage_rows_pending"), 1);

        filler.free();
        QTRY_COMPARE_WITH_TIMEOUT(metric(get(serve.port(), "/metrics"), "switchyard_usage_rows_committed_total"), 1,
                                  10000);
        QVERIFY(serve.terminate());
        QVERIFY2(!QFile::exists(QDir(dataDir).filePath(QStringLiteral("switchyard.lock"))), "the lock file is left");
        QString integrity;
        QCOMPARE(countRows(QDir(dataDir).filePath(QStringLiteral("usage.sqlite")), &integrity), 1);
        QCOMPARE(integrity, QStringLiteral("ok"));
    }

    void rowsBeyondTheBoundAreDroppedAndCounted()
    {
        if (!m_canMount || !mountTmpfs())
            QSKIP("needs a tmpfs (root)");
        sy::store::MetricsStore::Options options;
        options.dataDir = QDir(m_mountPoint.path()).filePath(QStringLiteral("store"));
        options.maxHeldRows = 5;
        options.retryInterval = std::chrono::milliseconds(50);
        sy::store::MetricsStore store(options);
        QVERIFY(store.open());
        sy::UsageRecord row;
        row.startedAt = QDateTime::currentDateTimeUtc();
        row.provider = QStringLiteral("openai");
        row.model = QStringLiteral("gpt-4o-mini");
        row.status = 200;
        store.record(row);
        QVERIFY(store.flush(10000));
        QCOMPARE(store.stats().committed, 1);

        DiskFiller filler(options.dataDir);
        QVERIFY(filler.fill());
        for (int i = 0; i < 8; ++i)
            store.record(row);
        QTRY_COMPARE(store.stats().dropped, 3); // the oldest three; five wait
        QCOMPARE(store.stats().held, 5);
        QVERIFY(store.stats().writeErrors > 0);
        const QByteArray text = store.prometheusText();
        QVERIFY2(text.contains("\nswitchyard_usage_rows_dropped_total 3\n"), text.constData());
        QVERIFY2(text.contains("\nswitchyard_usage_rows_pending 5\n"), text.constData());

        filler.free();
        QTRY_COMPARE(store.stats().committed, 6);
        QCOMPARE(store.stats().held, 0);
        store.close();
        QString integrity;
        QCOMPARE(countRows(store.databasePath(), &integrity), 6);
        QCOMPARE(integrity, QStringLiteral("ok"));
    }

    void cleanupTestCase()
    {
        if (m_canMount)
            ::umount2(QFile::encodeName(m_mountPoint.path()).constData(), MNT_DETACH);
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
