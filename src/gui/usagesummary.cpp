// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "usagesummary.h"

#include <QDateTime>

#include "common/calendar.h"
#include "host/host.h"

namespace sy::gui {

UsageSummary::UsageSummary(host::Host &host, QObject *parent) : QObject(parent), m_host(host)
{
    m_throttle.setSingleShot(true);
    connect(&m_throttle, &QTimer::timeout, this, &UsageSummary::query);
    m_midnight.setSingleShot(true);
    connect(&m_midnight, &QTimer::timeout, this, &UsageSummary::refresh);
    connect(&m_host, &host::Host::usageCommitted, this, &UsageSummary::refresh);
    connect(&m_host, &host::Host::started, this, &UsageSummary::refresh);
}

void UsageSummary::refresh()
{
    if (m_inFlight) {
        m_again = true;
        return;
    }
    if (m_throttle.isActive())
        return;
    const qint64 wait = m_sinceLast.isValid() ? kMinIntervalMs - m_sinceLast.elapsed() : 0;
    m_throttle.start(int(qMax<qint64>(0, wait)));
}

void UsageSummary::query()
{
    m_inFlight = true;
    m_again = false;
    m_sinceLast.start();
    // Hourly rows from the start of the month in the one calendar (Calendar: the user's zone
    // unless a setting says UTC). Exact where days begin on a whole UTC hour; in half-hour
    // zones (Asia/Kolkata) the hour that holds midnight counts in the day it began in, as the
    // store buckets by UTC hour.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime dayStart = Calendar::startOfDay(now);
    store::UsageQuery::Request request;
    request.granularity = store::UsageQuery::Granularity::Hour;
    request.from = Calendar::startOfMonth(now, Calendar::zone());
    request.byClient = false;
    request.byProvider = false;
    request.byModel = false;
    m_host.queryUsage(request, this, [this, dayStart](Result<QList<store::UsageAggregate>> rows) {
        m_inFlight = false;
        if (!rows) {
            m_error = rows.error();
        } else {
            m_error.clear();
            Totals day;
            Totals month;
            for (const store::UsageAggregate &row : rows.value()) {
                // The hour holding the day's start counts in the day when it began in it.
                const bool inDay = row.bucketStart.addSecs(3600) > dayStart.addSecs(1800);
                for (Totals *totals : {&month, inDay ? &day : nullptr}) {
                    if (!totals)
                        continue;
                    totals->requests += row.requests;
                    totals->errors += row.errors;
                    totals->inputTokens += row.inputTokens;
                    totals->outputTokens += row.outputTokens;
                    totals->costMicroUsd += row.costMicroUsd;
                    totals->unpricedRequests += row.unknownCostRequests;
                }
            }
            m_today = day;
            m_month = month;
            m_loaded = true;
        }
        scheduleMidnight();
        emit changed();
        if (m_again)
            refresh();
    });
}

void UsageSummary::scheduleMidnight()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 ms = now.msecsTo(Calendar::startOfNextDay(now, Calendar::zone())) + 1000;
    m_midnight.start(int(qBound(qint64(1000), ms, qint64(24 * 3600 * 1000))));
}

} // namespace sy::gui
