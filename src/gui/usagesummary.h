// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

namespace sy::host {
class Host;
}

namespace sy::gui {

// Today's and this month's usage from the database, for the dashboard and the tray alike
// (so the two never differ). Asked of the host's history worker, never on the GUI thread;
// asked again when the store commits rows (at most once a second) and at local midnight.
// The database is the only source: a request counts once it is committed (within about
// 250 ms), never twice.
class UsageSummary final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsageSummary)

public:
    struct Totals
    {
        qint64 requests = 0;
        qint64 errors = 0;
        qint64 inputTokens = 0;
        qint64 outputTokens = 0;
        qint64 costMicroUsd = 0;
        qint64 unpricedRequests = 0; // answered, but no price known: never counted as $0
    };
    static constexpr int kMinIntervalMs = 1000;

    explicit UsageSummary(host::Host &host, QObject *parent = nullptr);

    bool isLoaded() const { return m_loaded; } // at least one answer came
    Totals today() const { return m_today; }
    Totals month() const { return m_month; }
    QString error() const { return m_error; } // why history is unavailable; empty when fine

public slots:
    void refresh(); // coalesced: one query at a time, at most one a second

signals:
    void changed();

private:
    void query();
    void scheduleMidnight();

    host::Host &m_host;
    bool m_loaded = false;
    bool m_inFlight = false;
    bool m_again = false;
    Totals m_today;
    Totals m_month;
    QString m_error;
    QElapsedTimer m_sinceLast;
    QTimer m_throttle;
    QTimer m_midnight;
};

} // namespace sy::gui
