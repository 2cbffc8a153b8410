// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "database.h"

#include <atomic>

#include <sqlite3.h>

#include <QDir>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

namespace sy::store {

namespace {
std::atomic<quint64> g_connectionCounter {0};
}

Database::Database(const QString &path, const QString &purpose, Mode mode) : m_path(path), m_mode(mode)
{
    // Unique per instance and thread, so two readers on one thread never share a handle.
    m_name = QStringLiteral("sy.%1.%2.%3")
                 .arg(purpose)
                 .arg(quintptr(QThread::currentThreadId()), 0, 16)
                 .arg(g_connectionCounter.fetch_add(1));
}

Database::~Database()
{
    close();
}

Status Database::open()
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    m_db.setDatabaseName(m_path);
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000");
    if (m_mode == Mode::ReadOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    m_db.setConnectOptions(options);
    if (!m_db.open())
        return Status::failure(describe(m_db.lastError()));
    return success();
}

Status Database::exec(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        return Status::failure(describe(query.lastError()));
    return success();
}

Status Database::readNewLabels(QHash<qint64, QString> &labels)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT id, value FROM labels WHERE id > ?"));
    qint64 known = 0;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        known = qMax(known, it.key());
    query.addBindValue(known);
    if (!query.exec())
        return Status::failure(describe(query.lastError()));
    while (query.next())
        labels.insert(query.value(0).toLongLong(), query.value(1).toString());
    return success();
}

void Database::close()
{
    if (m_name.isEmpty())
        return;
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
    m_name.clear();
}

sqlite3 *Database::handle(QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    return handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0
        ? *static_cast<sqlite3 *const *>(handle.constData())
        : nullptr;
}

Status Database::execToCompletion(QSqlDatabase &db, const char *sql)
{
    sqlite3 *connection = handle(db);
    if (!connection)
        return Status::failure(QStringLiteral("not an SQLite connection"));
    char *message = nullptr;
    if (sqlite3_exec(connection, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const QString text = QString::fromUtf8(message);
        sqlite3_free(message);
        return Status::failure(text);
    }
    return success();
}

bool Database::isCorruption(const QSqlError &error)
{
    const QString code = error.nativeErrorCode();
    return code == u"11" || code == u"26"; // SQLITE_CORRUPT, SQLITE_NOTADB
}

QString Database::describe(const QSqlError &error)
{
    // Driver and database text only: SQLite messages name tables and columns, never values.
    QString text = error.databaseText();
    if (text.isEmpty())
        text = error.driverText();
    return text;
}

QString Database::filePath(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("usage.sqlite"));
}

} // namespace sy::store
