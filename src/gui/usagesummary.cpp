// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "usagesummary.h"

#include "control/gatewaylink.h"

namespace sy::gui {

namespace {
UsageSummary::Totals totalsOf(const store::UsageAggregate &a)
{
    UsageSummary::Totals t;
    t.requests = a.requests;
    t.errors = a.errors;
    t.inputTokens = a.inputTokens;
    t.outputTokens = a.outputTokens;
    t.costMicroUsd = a.costMicroUsd;
    t.unpricedRequests = a.unpricedRequests;
    return t;
}
} // namespace

UsageSummary::UsageSummary(control::GatewayLink &link, QObject *parent) : QObject(parent), m_link(link)
{
    connect(&m_link, &control::GatewayLink::statusChanged, this, &UsageSummary::onStatusChanged);
    connect(&m_link, &control::GatewayLink::unlinked, this, &UsageSummary::onUnlinked);
}

void UsageSummary::onStatusChanged()
{
    if (!m_link.hasTotals())
        return; // starting: the history is being read
    const Totals today = totalsOf(m_link.today());
    const Totals month = totalsOf(m_link.month());
    if (m_loaded && m_error.isEmpty() && today == m_today && month == m_month)
        return; // once a second: only a change is news
    m_today = today;
    m_month = month;
    m_loaded = true;
    m_error.clear();
    emit changed();
}

void UsageSummary::onUnlinked()
{
    m_error = tr("no gateway is running");
    emit changed();
}

} // namespace sy::gui
