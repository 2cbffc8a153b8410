// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include "store/requesthistory.h"

namespace sy::gui {

// Reads the requests page's older rows from the usage database, a page at a time, on a
// worker thread of its own with a read-only connection: the GUI thread never waits on SQL,
// and a window attached to a `serve` in another process reads the same file. One page at
// a time; the answer comes on this object's thread.
class OlderRequestsLoader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OlderRequestsLoader)

public:
    using Position = store::RequestHistory::Position;
    using Row = store::RequestHistory::Row;

    explicit OlderRequestsLoader(QString dataDir, QObject *parent = nullptr);
    ~OlderRequestsLoader() override; // waits for a page being read (one query on the time index)

    bool isLoading() const { return m_loading; }
    // Up to `limit` rows before `before`; answers with loaded() or failed(). Ignored while
    // a page is being read.
    void load(const Position &before, int limit);

signals:
    // `end`: fewer rows than asked, so none older than these.
    void loaded(const QList<sy::gui::OlderRequestsLoader::Row> &rows, bool end);
    void failed(const QString &error);

private:
    void onAnswer(const Result<QList<Row>> &rows, int limit);

    const QString m_dataDir;
    QThreadPool m_worker;
    bool m_loading = false;
};

} // namespace sy::gui
