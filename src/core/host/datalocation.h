// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QCommandLineParser>
#include <QString>

#include "common/result.h"
#include "config/config.h"

namespace sy::host {

// Where a command finds its config and data: --config FILE and --data-dir DIR, or the
// platform's standard locations. With --data-dir only, the config is DIR/config.json.
struct DataLocation
{
    QString dataDir;
    QString configFile;
    bool configGiven = false; // --config named the file: it must exist
    bool dataDirGiven = false; // --data-dir named it; otherwise QStandardPaths chose

    static void addOptions(QCommandLineParser &parser);
    static DataLocation fromParser(const QCommandLineParser &parser);

    // The config file, validated; the built-in defaults when there is none yet.
    Result<config::Config> loadConfig() const;
    static QByteArrayView defaultConfig();
};

} // namespace sy::host
