// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "olderrequestsloader.h"

#include <QFileInfo>
#include <QMetaObject>

#include "store/database.h"

namespace sy::gui {

OlderRequestsLoader::OlderRequestsLoader(QString dataDir, QObject *parent)
    : QObject(parent), m_dataDir(std::move(dataDir))
{
    m_worker.setMaxThreadCount(1);
    m_worker.setObjectName(QStringLiteral("older requests"));
}

OlderRequestsLoader::~OlderRequestsLoader()
{
    // Its answer, posted to this object, goes with it.
    m_worker.waitForDone();
}

void OlderRequestsLoader::load(const Position &before, int limit)
{
    if (m_loading)
        return;
    m_loading = true;
    m_worker.start([this, dataDir = m_dataDir, before, limit] {
        Result<QList<Row>> rows = Result<QList<Row>>::failure({});
        {
            // A connection per page: it lives and dies on this worker thread, and a database
            // that appears later (the gateway's first start) is found.
            store::RequestHistory history(dataDir);
            if (!QFileInfo::exists(store::Database::filePath(dataDir)))
                rows = QList<Row>(); // no gateway has written here yet: no history
            else if (Status opened = history.open(); !opened)
                rows = Result<QList<Row>>::failure(opened.error());
            else
                rows = history.olderThan(before, limit);
        }
        QMetaObject::invokeMethod(
            this, [this, rows, limit] { onAnswer(rows, limit); }, Qt::QueuedConnection);
    });
}

void OlderRequestsLoader::onAnswer(const Result<QList<Row>> &rows, int limit)
{
    m_loading = false;
    if (!rows)
        emit failed(rows.error());
    else
        emit loaded(rows.value(), rows->size() < limit);
}

} // namespace sy::gui
