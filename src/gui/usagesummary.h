// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

namespace sy::control {
class GatewayLink;
}

namespace sy::gui {

// Today's and this month's usage for the dashboard and the tray alike, as the gateway's
// one provider of them reports it over the control channel (the same numbers
// `switchyard status` prints): the history before the gateway started plus every request
// it recorded since, by the request's start in the calendar's zone. Nothing here runs SQL.
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

        friend bool operator==(const Totals &, const Totals &) = default;
    };

    explicit UsageSummary(control::GatewayLink &link, QObject *parent = nullptr);

    bool isLoaded() const { return m_loaded; } // the gateway answered with totals
    Totals today() const { return m_today; }
    Totals month() const { return m_month; }
    QString error() const { return m_error; } // why totals are unavailable; empty when fine

signals:
    void changed();

private:
    void onStatusChanged();
    void onUnlinked();

    control::GatewayLink &m_link;
    bool m_loaded = false;
    Totals m_today;
    Totals m_month;
    QString m_error;
};

} // namespace sy::gui
