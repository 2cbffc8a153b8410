// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "routestats.h"

namespace sy::gateway {

namespace {
QString targetKey(const QString &provider, const QString &model)
{
    return provider + u'\n' + model;
}
} // namespace

void RouteStats::recordTtfb(const QString &provider, const QString &model, qint64 ms)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_ttfb.find(targetKey(provider, model));
    if (it == m_ttfb.end())
        m_ttfb.insert(targetKey(provider, model), double(ms));
    else
        *it = kSmoothing * double(ms) + (1 - kSmoothing) * *it;
}

std::optional<double> RouteStats::averageTtfb(const QString &provider, const QString &model) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_ttfb.constFind(targetKey(provider, model));
    if (it == m_ttfb.constEnd())
        return std::nullopt;
    return *it;
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
