// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <optional>

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

namespace sy::gateway {

// What routing strategies learn from traffic, and what a window shows of it: per target
// (provider and upstream model) the calls it got, its errors and moving averages of time to
// first byte and latency; per route the weighted round-robin position. Shared by all
// gateway threads and kept across config reloads.
class RouteStats
{
public:
    // One target's figures since the gateway started: a copy.
    struct Target
    {
        QString provider;
        QString model; // the upstream model
        qint64 requests = 0; // upstream calls that got an answer or failed
        qint64 errors = 0; // answered 4xx/5xx, failed before an answer, or cut off in the middle
        qint64 rateLimited = 0; // of the errors, 429s
        std::optional<double> averageTtfbMs; // successful answers; what lowest-latency routes by
        std::optional<double> averageLatencyMs; // successful calls, to the end of the response
    };

    void recordTtfb(const QString &provider, const QString &model, qint64 ms);
    std::optional<double> averageTtfb(const QString &provider, const QString &model) const;
    // An upstream answer began with `status` (each attempt of a request counts).
    void recordResponse(const QString &provider, const QString &model, int status);
    // An upstream call failed: before an answer (one more call, an error) or after it began
    // (the call was counted with its status; now it is an error too).
    void recordFailure(const QString &provider, const QString &model, bool responseHadStarted);
    // A successful call ended after `ms`.
    void recordLatency(const QString &provider, const QString &model, qint64 ms);
    // Every target seen, by provider and model: one short critical section.
    QList<Target> targets() const;

    // Smooth weighted round-robin (as nginx does it): over sum(weights) picks, target i is
    // chosen weights[i] times, interleaved. Returns the chosen index.
    int nextWeighted(const QString &route, const QList<int> &weights);

private:
    static constexpr double kSmoothing = 0.2; // weight of the newest sample in the moving averages

    struct Figures
    {
        qint64 requests = 0;
        qint64 errors = 0;
        qint64 rateLimited = 0;
        std::optional<double> ttfb;
        std::optional<double> latency;
    };

    mutable QMutex m_mutex;
    QHash<QString, Figures> m_targets; // "provider\nmodel"
    QHash<QString, QList<qint64>> m_weightedCurrent; // route -> current weights
};

} // namespace sy::gateway
