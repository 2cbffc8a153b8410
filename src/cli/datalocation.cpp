// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "datalocation.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include "config/configloader.h"

namespace sy::cli {

void DataLocation::addOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("config"), QStringLiteral("Config file (JSON)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("data-dir"), QStringLiteral("Data directory."), QStringLiteral("DIR")});
}

DataLocation DataLocation::fromParser(const QCommandLineParser &parser)
{
    DataLocation location;
    location.dataDir = parser.value(QStringLiteral("data-dir"));
    location.dataDirGiven = !location.dataDir.isEmpty();
    if (location.dataDir.isEmpty())
        location.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    location.configFile = parser.value(QStringLiteral("config"));
    location.configGiven = !location.configFile.isEmpty();
    if (location.configFile.isEmpty()) {
        location.configFile = parser.isSet(QStringLiteral("data-dir"))
            ? QDir(location.dataDir).filePath(QStringLiteral("config.json"))
            : QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
                  .filePath(QStringLiteral("config.json"));
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

} // namespace sy::cli
