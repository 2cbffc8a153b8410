// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QCommandLineParser>
#include <QString>

namespace sy::cli {

// Where a command finds its config and data: --config FILE and --data-dir DIR, or the
// platform's standard locations. With --data-dir only, the config is DIR/config.json.
struct DataLocation
{
    QString dataDir;
    QString configFile;

    static void addOptions(QCommandLineParser &parser);
    static DataLocation fromParser(const QCommandLineParser &parser);
};

} // namespace sy::cli
