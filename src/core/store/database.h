// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QSqlDatabase>
#include <QString>

#include "common/result.h"

class QSqlError;
struct sqlite3;

namespace sy::store {

// One SQLite connection, named after its purpose and thread (Qt connections must stay on
// the thread that made them), closed and removed when it goes out of scope.
class Database
{
    Q_DISABLE_COPY_MOVE(Database)

public:
    enum class Mode { ReadWrite, ReadOnly };

    Database(const QString &path, const QString &purpose, Mode mode);
    ~Database();

    Status open(); // WAL for writers, busy timeout for everyone
    QSqlDatabase &db() { return m_db; }
    Status exec(const QString &sql);
    void close();
    // Adds to `labels` (id -> client, provider or model name) the ones newer than those it
    // holds: labels only grow, so a reader keeps its map and reads what came since.
    Status readNewLabels(QHash<qint64, QString> &labels);

    // The driver's SQLite handle, for the hot insert path; nullptr if not SQLite.
    static sqlite3 *handle(QSqlDatabase &db);
    // Runs sql with sqlite3_exec, stepping every statement to completion.
    static Status execToCompletion(QSqlDatabase &db, const char *sql);

    // SQLITE_CORRUPT / SQLITE_NOTADB: the file is damaged, not busy.
    static bool isCorruption(const QSqlError &error);
    static QString describe(const QSqlError &error); // never includes bound values

    // The data dir's database file.
    static QString filePath(const QString &dataDir);

private:
    QString m_path;
    QString m_name;
    Mode m_mode;
    QSqlDatabase m_db;
};

} // namespace sy::store
