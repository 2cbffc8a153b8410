// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUrl>

#include "host/datalocation.h"

// What the GUI tests share: a data dir with a config whose providers (OpenAI and Anthropic
// formats) point at a mock upstream, on a port of the kernel's choosing, and a read-only
// count of the rows the store committed.
namespace guitest {

constexpr char kProviderKeyEnv[] = "SWITCHYARD_GUI_TEST_PROVIDER_KEY";

inline sy::host::DataLocation writeDataDir(const QTemporaryDir &dir, const QUrl &upstream, bool requireClientKey)
{
    qputenv(kProviderKeyEnv, "sk-test-provider-key");
    const QString base = upstream.toString();
    const QString keyEnv = QString::fromLatin1(kProviderKeyEnv);
    const QJsonObject config {
        {QStringLiteral("listen"), QStringLiteral("127.0.0.1:0")},
        {QStringLiteral("auth"), QJsonObject {{QStringLiteral("require_client_key"), requireClientKey}}},
        {QStringLiteral("secret_store"), QStringLiteral("encrypted-file")},
        {QStringLiteral("providers"),
         QJsonArray {QJsonObject {{QStringLiteral("id"), QStringLiteral("openai")},
                                  {QStringLiteral("kind"), QStringLiteral("openai")},
                                  {QStringLiteral("base_url"), QString(base + QStringLiteral("/v1"))},
                                  {QStringLiteral("api_key_env"), keyEnv}},
                     QJsonObject {{QStringLiteral("id"), QStringLiteral("anthropic")},
                                  {QStringLiteral("kind"), QStringLiteral("anthropic")},
                                  {QStringLiteral("base_url"), base},
                                  {QStringLiteral("api_key_env"), keyEnv}}}}};
    const sy::host::DataLocation location
        = sy::host::DataLocation::named(dir.path(), QDir(dir.path()).filePath(QStringLiteral("config.json")));
    QFile file(location.configFile);
    if (file.open(QIODevice::WriteOnly))
        file.write(QJsonDocument(config).toJson());
    return location;
}

inline qint64 committedRows(const QString &dataDir)
{
    qint64 count = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("guitest"));
        db.setDatabaseName(QDir(dataDir).filePath(QStringLiteral("usage.sqlite")));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery query(QStringLiteral("SELECT count(*) FROM requests"), db);
            if (query.next())
                count = query.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("guitest"));
    return count;
}

} // namespace guitest
