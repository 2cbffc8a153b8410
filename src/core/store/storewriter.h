// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <QHash>
#include <QSqlQuery>
#include <QString>

#include "common/result.h"
#include "common/usagerecord.h"
#include "pruner.h"

struct sqlite3_stmt;

namespace sy::store {

class Database;

// The store thread's side of MetricsStore: owns the one writing connection, turns batches
// of records into rows and rollup updates, runs retention chunk by chunk, and moves a
// damaged or too-new database aside. Lives and dies on the store thread.
class StoreWriter
{
public:
    struct Events
    {
        QString movedAsideReason;
        QString movedAsideTo;
        QString writeError;
        qint64 pruned = 0;
        bool pruneFinished = false;
    };

    StoreWriter(QString path, Pruner::Options retention);
    ~StoreWriter();

    Status open(Events &events);
    // Commits the batch; on a write error nothing of it is committed and the error is reported.
    // Returns the rows committed.
    qint64 write(const std::vector<UsageRecord> &batch, Events &events);
    // One retention step; true while more remains.
    bool pruneStep(const QDateTime &nowUtc, Events &events);

private:
    Status openFresh();
    Status tryOpen(bool &damaged, bool &newer, QString &why);
    void moveAside(const QString &reason, Events &events, const QString &why);
    Status writeOnce(const std::vector<UsageRecord> &batch, bool &corrupt);
    std::optional<qint64> label(int kind, const QString &value);
    void resetQueries();

    QString m_path;
    Pruner::Options m_retention;
    std::unique_ptr<Database> m_database;
    // The per-row insert and the rollup upserts go through SQLite's C API: QVariant
    // binding (and QSqlResult's placeholder bookkeeping, a QString::arg per bound value)
    // cost more than the statements themselves (75k vs 300k+ rows/s in bench/store).
    sqlite3_stmt *m_insert = nullptr;
    sqlite3_stmt *m_dailyUpsert = nullptr;
    sqlite3_stmt *m_hourlyUpsert = nullptr;
    QSqlQuery m_labelInsert;
    QSqlQuery m_labelSelect;
    QHash<QString, qint64> m_labels[8]; // by Schema::LabelKind
    Pruner::Report m_pruneReport;
};

} // namespace sy::store
