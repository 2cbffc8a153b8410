// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include "common/result.h"
#include "config/config.h"

namespace sy::host {

// Where a command or the host finds its config and data: --config FILE and --data-dir
// DIR, or the standard locations. With --data-dir only, the config is DIR/config.json.
//
// The standard locations are one folder named "switchyard": ~/.local/share/switchyard and
// ~/.config/switchyard/config.json on Linux (QStandardPaths' generic data and config
// locations elsewhere). Switchyard 0.x used the application locations under the
// organisation's folder (~/.local/share/Switchyard/switchyard); where such a folder exists
// and the new one does not, it stays in use (never moved: the keychain entries are listed
// in it, and a running 0.x gateway may hold it).
struct DataLocation
{
    QString dataDir;
    QString configFile;
    bool configGiven = false; // --config named the file: it must exist
    bool dataDirGiven = false; // --data-dir named it; otherwise the standard location
    bool legacyDataDir = false; // the standard location of Switchyard 0.x, still in use
    bool legacyConfig = false;

    static void addOptions(QCommandLineParser &parser);
    static DataLocation fromParser(const QCommandLineParser &parser);
    // The standard locations, as if no option was given.
    static DataLocation standard();
    // The locations `--data-dir DIR --config FILE` name (the config file must exist).
    static DataLocation named(const QString &dataDir, const QString &configFile);

    // The folder name of the standard locations, named once.
    static QString folderName() { return QStringLiteral("switchyard"); }

    // The config file, validated; the built-in defaults when there is none yet.
    Result<config::Config> loadConfig() const;
    static QByteArrayView defaultConfig();

    // Folders the standard locations made around the data and the config, innermost first,
    // for delete-all-data to remove when they are empty. Never a folder the user named
    // with --data-dir or --config, nor the platform's own (~/.local/share).
    QStringList standardFolders() const;
};

} // namespace sy::host
