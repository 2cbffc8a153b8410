// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QMutex>
#include <QString>

namespace sy::secrets {
struct ProviderKey;
}

namespace sy::gateway {

struct ProviderRuntime;

// Which key of a provider's pool the next call uses: round-robin over the keys that are
// awake. A key that got a 429 rests until its Retry-After has passed. Shared by every
// gateway thread and kept across config reloads (keys are known by provider and label).
class KeyRotation
{
public:
    static constexpr qint64 kDefaultRestMs = 30'000; // a 429 without Retry-After

    struct Choice
    {
        const secrets::ProviderKey *key = nullptr; // null: every key (of that label) rests
        qint64 wakeInMs = 0; // then: when the first one wakes
    };

    // `label` pins one key of the pool; empty: any.
    Choice next(const ProviderRuntime &provider, const QString &label, qint64 nowMs);
    void rest(const QString &provider, const QString &label, qint64 untilMs);

private:
    QMutex m_mutex;
    QHash<QString, quint64> m_turn; // provider -> calls so far
    QHash<QString, qint64> m_restUntil; // "provider\nlabel" -> epoch ms
};

} // namespace sy::gateway
