// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "datalocation.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include "config/configloader.h"

namespace sy::host {

namespace {

QString configName()
{
    return QStringLiteral("config.json");
}

QString newDataDir()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(DataLocation::folderName());
}

QString newConfigFile()
{
    return QDir(QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
                    .filePath(DataLocation::folderName()))
        .filePath(configName());
}

// What 0.x used: the application locations, under the organisation's folder that main()
// names (~/.local/share/Switchyard/switchyard).
QString oldStandardDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString oldStandardConfigFile()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)).filePath(configName());
}

} // namespace

void DataLocation::addOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("config"), QStringLiteral("Config file (JSON)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("data-dir"), QStringLiteral("Data directory."), QStringLiteral("DIR")});
}

DataLocation DataLocation::standard()
{
    DataLocation location;
    location.dataDir = newDataDir();
    const QString oldDataDir = oldStandardDataDir();
    if (!QFileInfo::exists(location.dataDir) && oldDataDir != location.dataDir && QFileInfo(oldDataDir).isDir()) {
        location.dataDir = oldDataDir;
        location.legacyDataDir = true;
    }
    location.configFile = newConfigFile();
    const QString oldConfig = oldStandardConfigFile();
    if (!QFileInfo::exists(location.configFile) && oldConfig != location.configFile && QFileInfo::exists(oldConfig)) {
        location.configFile = oldConfig;
        location.legacyConfig = true;
    }
    return location;
}

DataLocation DataLocation::named(const QString &dataDir, const QString &configFile)
{
    DataLocation location;
    location.dataDir = dataDir;
    location.dataDirGiven = true;
    location.configFile = configFile;
    location.configGiven = true;
    return location;
}

DataLocation DataLocation::fromParser(const QCommandLineParser &parser)
{
    DataLocation location = standard();
    if (const QString dataDir = parser.value(QStringLiteral("data-dir")); !dataDir.isEmpty()) {
        location.dataDir = dataDir;
        location.dataDirGiven = true;
        location.legacyDataDir = false;
    }
    if (const QString configFile = parser.value(QStringLiteral("config")); !configFile.isEmpty()) {
        location.configFile = configFile;
        location.configGiven = true;
        location.legacyConfig = false;
    } else if (parser.isSet(QStringLiteral("data-dir"))) {
        location.configFile = QDir(location.dataDir).filePath(configName());
        location.legacyConfig = false;
    }
    return location;
}

Result<config::Config> DataLocation::loadConfig() const
{
    if (configGiven || QFileInfo::exists(configFile))
        return config::ConfigLoader::fromFile(configFile);
    return config::ConfigLoader::fromJson(defaultConfig().toByteArray());
}

QByteArrayView DataLocation::defaultConfig()
{
    return R"({
        "listen": "127.0.0.1:7788",
        "auth": {"require_client_key": true},
        "providers": [
            {"id": "openai", "kind": "openai", "base_url": "https://api.openai.com/v1", "api_key_env": "OPENAI_API_KEY"},
            {"id": "anthropic", "kind": "anthropic", "base_url": "https://api.anthropic.com", "api_key_env": "ANTHROPIC_API_KEY"}
        ]
    })";
}

QStringList DataLocation::standardFolders() const
{
    QStringList folders;
    if (!dataDirGiven) {
        folders.append(QDir::cleanPath(dataDir));
        if (legacyDataDir) // the organisation's folder around it
            folders.append(QFileInfo(QDir::cleanPath(dataDir)).absolutePath());
    }
    if (!configGiven && !dataDirGiven) { // with --data-dir only, the config is in the data dir
        const QString configDir = QFileInfo(configFile).absolutePath();
        folders.append(configDir);
        if (legacyConfig)
            folders.append(QFileInfo(configDir).absolutePath());
    }
    return folders;
}

} // namespace sy::host
