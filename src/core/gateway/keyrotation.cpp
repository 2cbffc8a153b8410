// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "keyrotation.h"

#include <limits>

#include "gatewaystate.h"

namespace sy::gateway {

namespace {

QString restKey(const QString &provider, const QString &label)
{
    return provider + u'\n' + label;
}

} // namespace

KeyRotation::Choice KeyRotation::next(const ProviderRuntime &provider, const QString &label, qint64 nowMs)
{
    const qsizetype count = provider.keys.size();
    Choice choice;
    if (count == 0)
        return choice;
    QMutexLocker lock(&m_mutex);
    const quint64 turn = m_turn[provider.config.id]++;
    qint64 firstWake = std::numeric_limits<qint64>::max();
    for (qsizetype step = 0; step < count; ++step) {
        const secrets::ProviderKey &key = provider.keys.at(qsizetype((turn + quint64(step)) % quint64(count)));
        if (!label.isEmpty() && key.label != label)
            continue;
        const qint64 restUntil = m_restUntil.value(restKey(provider.config.id, key.label), 0);
        if (restUntil <= nowMs) {
            choice.key = &key;
            return choice;
        }
        firstWake = qMin(firstWake, restUntil);
    }
    choice.wakeInMs = firstWake == std::numeric_limits<qint64>::max() ? 0 : firstWake - nowMs;
    return choice;
}

void KeyRotation::rest(const QString &provider, const QString &label, qint64 untilMs)
{
    QMutexLocker lock(&m_mutex);
    qint64 &restUntil = m_restUntil[restKey(provider, label)];
    restUntil = qMax(restUntil, untilMs);
}

} // namespace sy::gateway
