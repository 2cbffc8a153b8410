// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "datalocation.h"

#include <QDir>
#include <QStandardPaths>

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
    if (location.dataDir.isEmpty())
        location.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    location.configFile = parser.value(QStringLiteral("config"));
    if (location.configFile.isEmpty()) {
        location.configFile = parser.isSet(QStringLiteral("data-dir"))
            ? QDir(location.dataDir).filePath(QStringLiteral("config.json"))
            : QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
                  .filePath(QStringLiteral("config.json"));
    }
    return location;
}

} // namespace sy::cli
