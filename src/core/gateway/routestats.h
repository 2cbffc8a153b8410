// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <optional>

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

namespace sy::gateway {

// What routing strategies learn from traffic: time-to-first-byte averages per target and
// the weighted round-robin position per route. Shared by all gateway threads and kept
// across config reloads.
class RouteStats
{
public:
    void recordTtfb(const QString &provider, const QString &model, qint64 ms);
    std::optional<double> averageTtfb(const QString &provider, const QString &model) const;

    // Smooth weighted round-robin (as nginx does it): over sum(weights) picks, target i is
    // chosen weights[i] times, interleaved. Returns the chosen index.
    int nextWeighted(const QString &route, const QList<int> &weights);

private:
    static constexpr double kSmoothing = 0.2; // weight of the newest sample in the moving average

    mutable QMutex m_mutex;
    QHash<QString, double> m_ttfb; // "provider\nmodel" -> moving average (ms)
    QHash<QString, QList<qint64>> m_weightedCurrent; // route -> current weights
};

} // namespace sy::gateway
