// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Where Switchyard keeps its data and config: the options, the one-level standard
// folders, and the folders of Switchyard 0.x, which stay in use while they are all there is.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include "host/datalocation.h"

using sy::host::DataLocation;

class TestDataLocation : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_home;

    QString home(const QString &path) const { return QDir::cleanPath(m_home->filePath(path)); }

    static DataLocation parse(const QStringList &arguments)
    {
        QCommandLineParser parser;
        DataLocation::addOptions(parser);
        if (!parser.parse(QStringList {QStringLiteral("switchyard")} + arguments))
            qWarning() << parser.errorText();
        return DataLocation::fromParser(parser);
    }

private slots:
    void initTestCase()
    {
        // As main() names them: 0.x's folders were derived from these.
        QCoreApplication::setOrganizationName(QStringLiteral("Switchyard"));
        QCoreApplication::setApplicationName(QStringLiteral("switchyard"));
    }

    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        qputenv("XDG_DATA_HOME", home(QStringLiteral(".local/share")).toUtf8());
        qputenv("XDG_CONFIG_HOME", home(QStringLiteral(".config")).toUtf8());
    }

    void standardFolders_data()
    {
        QTest::addColumn<QStringList>("existing"); // folders and files made before
        QTest::addColumn<QString>("dataDir");
        QTest::addColumn<QString>("configFile");
        QTest::addColumn<QStringList>("folders"); // what delete-all-data may remove, innermost first
        const QString data = QStringLiteral(".local/share/switchyard");
        const QString config = QStringLiteral(".config/switchyard/config.json");
        const QString oldData = QStringLiteral(".local/share/Switchyard/switchyard");
        const QString oldConfig = QStringLiteral(".config/Switchyard/switchyard/config.json");
        QTest::newRow("fresh") << QStringList() << data << config
                               << QStringList {data, QStringLiteral(".config/switchyard")};
        QTest::newRow("0.x data") << QStringList {oldData} << oldData << config
                                  << QStringList {oldData, QStringLiteral(".local/share/Switchyard"),
                                                  QStringLiteral(".config/switchyard")};
        QTest::newRow("0.x data and config")
            << QStringList {oldData, oldConfig} << oldData << oldConfig
            << QStringList {oldData, QStringLiteral(".local/share/Switchyard"),
                            QStringLiteral(".config/Switchyard/switchyard"), QStringLiteral(".config/Switchyard")};
        QTest::newRow("both: the new one wins") << QStringList {oldData, oldConfig, data, config} << data << config
                                                << QStringList {data, QStringLiteral(".config/switchyard")};
        QTest::newRow("0.x config file gone") << QStringList {QStringLiteral(".config/Switchyard/switchyard/")} << data
                                              << config << QStringList {data, QStringLiteral(".config/switchyard")};
    }

    void standardFolders()
    {
        QFETCH(QStringList, existing);
        QFETCH(QString, dataDir);
        QFETCH(QString, configFile);
        QFETCH(QStringList, folders);
        for (const QString &path : existing) {
            if (path.endsWith(u".json")) {
                QVERIFY(QDir().mkpath(QFileInfo(home(path)).absolutePath()));
                QFile file(home(path));
                QVERIFY(file.open(QIODevice::WriteOnly));
            } else {
                QVERIFY(QDir().mkpath(home(path)));
            }
        }
        const DataLocation location = parse({});
        QCOMPARE(QDir::cleanPath(location.dataDir), home(dataDir));
        QCOMPARE(QDir::cleanPath(location.configFile), home(configFile));
        QVERIFY(!location.dataDirGiven);
        QVERIFY(!location.configGiven);
        QStringList expected;
        for (const QString &folder : folders)
            expected.append(home(folder));
        QCOMPARE(location.standardFolders(), expected);
    }

    void options_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("dataDir");
        QTest::addColumn<QString>("configFile");
        QTest::addColumn<QStringList>("folders");
        QTest::newRow("data dir only: the config is in it")
            << QStringList {QStringLiteral("--data-dir"), QStringLiteral("/srv/sy")} << QStringLiteral("/srv/sy")
            << QStringLiteral("/srv/sy/config.json") << QStringList();
        QTest::newRow("both") << QStringList {QStringLiteral("--data-dir"), QStringLiteral("/srv/sy"),
                                              QStringLiteral("--config"), QStringLiteral("/etc/sy.json")}
                              << QStringLiteral("/srv/sy") << QStringLiteral("/etc/sy.json") << QStringList();
        QTest::newRow("config only") << QStringList {QStringLiteral("--config"), QStringLiteral("/etc/sy.json")}
                                     << QString() << QStringLiteral("/etc/sy.json")
                                     << QStringList(); // the data dir: as in standardFolders()
    }

    void options()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, dataDir);
        QFETCH(QString, configFile);
        QFETCH(QStringList, folders);
        // A 0.x folder does not matter once the user names the places.
        QVERIFY(QDir().mkpath(home(QStringLiteral(".local/share/Switchyard/switchyard"))));
        const DataLocation location = parse(arguments);
        if (arguments.contains(u"--data-dir"))
            QCOMPARE(location.dataDir, dataDir);
        QCOMPARE(location.configFile, configFile);
        QCOMPARE(location.dataDirGiven, arguments.contains(u"--data-dir"));
        QCOMPARE(location.configGiven, arguments.contains(u"--config"));
        if (arguments.contains(u"--data-dir"))
            QCOMPARE(location.standardFolders(), folders);
    }
};

QTEST_GUILESS_MAIN(TestDataLocation)
#include "tst_datalocation.moc"
