// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "keyrotation.h"

#include <algorithm>
#include <limits>
#include <tuple>

#include <QStringList>

#include "gatewaystate.h"
#include "router.h"

namespace sy::gateway {

namespace {

// Past this many entries, rest() forgets the ones that woke up: the map stays as small as
// the set of (key, model) pairs actually resting.
constexpr qsizetype kForgetAbove = 256;

QString restKey(const QString &provider, const QString &label, const QString &model)
{
    return provider + u'\n' + label + u'\n' + model;
}

} // namespace

qint64 KeyRotation::restsUntilLocked(const QString &provider, const QString &label, const QString &model) const
{
    return m_restUntil.value(restKey(provider, label, model), 0);
}

QList<KeyRotation::Candidate> KeyRotation::candidates(const ProviderRuntime &provider, const QString &label,
                                                      const QString &model, qint64 nowMs)
{
    QList<Candidate> awake;
    QList<Candidate> resting;
    const qsizetype count = provider.keys.size();
    if (count == 0)
        return awake;
    QMutexLocker lock(&m_mutex);
    quint64 &turn = m_turn[provider.config.id];
    const quint64 start = turn;
    qsizetype firstIndex = -1;
    for (qsizetype step = 0; step < count; ++step) {
        const qsizetype index = qsizetype((start + quint64(step)) % quint64(count));
        const secrets::ProviderKey &key = provider.keys.at(index);
        if (!label.isEmpty() && key.label != label)
            continue;
        const Candidate candidate {&key, restsUntilLocked(provider.config.id, key.label, model)};
        if (candidate.restsUntilMs <= nowMs && awake.isEmpty())
            firstIndex = index;
        (candidate.restsUntilMs <= nowMs ? awake : resting).append(candidate);
    }
    // The next turn starts after the key this one takes, so a key passed over as resting
    // for one model is the first in line for the next call, whatever its model: the pool
    // shares the load.
    turn = firstIndex >= 0 ? quint64(firstIndex) + 1 : start + 1;
    // Stable: keys that wake together keep their turn order.
    std::stable_sort(resting.begin(), resting.end(),
                     [](const Candidate &a, const Candidate &b) { return a.restsUntilMs < b.restsUntilMs; });
    return awake + resting;
}

void KeyRotation::rest(const QString &provider, const QString &label, const QString &model, qint64 nowMs, qint64 forMs)
{
    QMutexLocker lock(&m_mutex);
    if (m_restUntil.size() > kForgetAbove)
        m_restUntil.removeIf([nowMs](const auto &entry) { return entry.value() <= nowMs; });
    qint64 &restUntil = m_restUntil[restKey(provider, label, model)];
    restUntil = qMax(restUntil, nowMs + qMax<qint64>(0, forMs));
}

qint64 KeyRotation::wakesAtMs(const RouteTarget &target, qint64 nowMs) const
{
    const ProviderRuntime &provider = *target.provider;
    const QString &id = provider.config.id;
    QMutexLocker lock(&m_mutex);
    if (provider.keys.isEmpty())
        return restsUntilLocked(id, QString(), target.upstreamModel);
    qint64 soonest = std::numeric_limits<qint64>::max();
    for (const secrets::ProviderKey &key : provider.keys) {
        if (!target.keyLabel.isEmpty() && key.label != target.keyLabel)
            continue;
        const qint64 until = restsUntilLocked(id, key.label, target.upstreamModel);
        if (until <= nowMs)
            return until;
        soonest = qMin(soonest, until);
    }
    // No key of that label: nothing rests; the call itself says what is missing.
    return soonest == std::numeric_limits<qint64>::max() ? 0 : soonest;
}

QList<KeyRotation::Resting> KeyRotation::resting(qint64 nowMs) const
{
    QList<Resting> resting;
    {
        QMutexLocker lock(&m_mutex);
        for (auto it = m_restUntil.cbegin(); it != m_restUntil.cend(); ++it) {
            if (it.value() > nowMs)
                resting.append({it.key(), {}, {}, it.value()});
        }
    }
    // Split and sorted outside the lock.
    for (Resting &entry : resting) {
        const QStringList parts = entry.provider.split(u'\n');
        entry.provider = parts.value(0);
        entry.label = parts.value(1);
        entry.model = parts.mid(2).join(u'\n');
    }
    std::sort(resting.begin(), resting.end(), [](const Resting &a, const Resting &b) {
        return std::tie(a.wakesAtMs, a.provider, a.label, a.model)
            < std::tie(b.wakesAtMs, b.provider, b.label, b.model);
    });
    return resting;
}

void KeyRotation::preferAwake(QList<RouteTarget> &targets, qint64 nowMs) const
{
    if (targets.size() < 2)
        return;
    QList<std::pair<qint64, RouteTarget>> ranked;
    ranked.reserve(targets.size());
    for (const RouteTarget &target : std::as_const(targets)) {
        const qint64 wakesAt = wakesAtMs(target, nowMs);
        ranked.append({wakesAt <= nowMs ? 0 : wakesAt, target});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    for (qsizetype i = 0; i < ranked.size(); ++i)
        targets[i] = ranked.at(i).second;
}

} // namespace sy::gateway
