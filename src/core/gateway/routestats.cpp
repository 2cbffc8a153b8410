// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "routestats.h"

#include <algorithm>
#include <tuple>

namespace sy::gateway {

namespace {

QString targetKey(const QString &provider, const QString &model)
{
    return provider + u'\n' + model;
}

void smooth(std::optional<double> &average, double sample, double weight)
{
    average = average ? weight * sample + (1 - weight) * *average : sample;
}

} // namespace

void RouteStats::recordTtfb(const QString &provider, const QString &model, qint64 ms)
{
    QMutexLocker lock(&m_mutex);
    smooth(m_targets[targetKey(provider, model)].ttfb, double(ms), kSmoothing);
}

std::optional<double> RouteStats::averageTtfb(const QString &provider, const QString &model) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_targets.constFind(targetKey(provider, model));
    if (it == m_targets.constEnd())
        return std::nullopt;
    return it->ttfb;
}

void RouteStats::recordResponse(const QString &provider, const QString &model, int status)
{
    QMutexLocker lock(&m_mutex);
    Figures &figures = m_targets[targetKey(provider, model)];
    ++figures.requests;
    if (status >= 400)
        ++figures.errors;
    if (status == 429)
        ++figures.rateLimited;
}

void RouteStats::recordFailure(const QString &provider, const QString &model, bool responseHadStarted)
{
    QMutexLocker lock(&m_mutex);
    Figures &figures = m_targets[targetKey(provider, model)];
    if (!responseHadStarted)
        ++figures.requests;
    ++figures.errors;
}

void RouteStats::recordLatency(const QString &provider, const QString &model, qint64 ms)
{
    QMutexLocker lock(&m_mutex);
    smooth(m_targets[targetKey(provider, model)].latency, double(ms), kSmoothing);
}

QList<RouteStats::Target> RouteStats::targets() const
{
    QList<Target> targets;
    {
        QMutexLocker lock(&m_mutex);
        targets.reserve(m_targets.size());
        for (auto it = m_targets.cbegin(); it != m_targets.cend(); ++it) {
            const Figures &f = it.value();
            targets.append({it.key(), {}, f.requests, f.errors, f.rateLimited, f.ttfb, f.latency});
        }
    }
    for (Target &target : targets) {
        const qsizetype split = target.provider.indexOf(u'\n');
        target.model = target.provider.mid(split + 1);
        target.provider.truncate(split);
    }
    std::sort(targets.begin(), targets.end(), [](const Target &a, const Target &b) {
        return std::tie(a.provider, a.model) < std::tie(b.provider, b.model);
    });
    return targets;
}

int RouteStats::nextWeighted(const QString &route, const QList<int> &weights)
{
    QMutexLocker lock(&m_mutex);
    QList<qint64> &current = m_weightedCurrent[route];
    if (current.size() != weights.size())
        current = QList<qint64>(weights.size(), 0); // the route changed: start over
    qint64 total = 0;
    int best = 0;
    for (int i = 0; i < weights.size(); ++i) {
        current[i] += weights[i];
        total += weights[i];
        if (current[i] > current[best])
            best = i;
    }
    current[best] -= total;
    return best;
}

} // namespace sy::gateway
