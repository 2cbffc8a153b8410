// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

namespace sy::secrets {
struct ProviderKey;
}

namespace sy::gateway {

struct ProviderRuntime;
struct RouteTarget;

// Which key of a provider's pool the next call uses: round-robin over the keys. A 429
// rests a key only for the upstream model that got it (providers limit per model and
// key), until its Retry-After has passed: the key stays in turn for every other model.
// Resting steers, it never refuses: while another key is awake for that model it goes
// first; when every key rests, the one that wakes first is used anyway and the
// provider's own answer reaches the client. A provider without keys rests per target
// (an empty label), which lets a route try its other targets first. Shared by every
// gateway thread and kept across config reloads (keys are known by provider and label).
class KeyRotation
{
public:
    static constexpr qint64 kDefaultRestMs = 30'000; // a 429 without Retry-After

    struct Candidate
    {
        const secrets::ProviderKey *key = nullptr;
        qint64 restsUntilMs = 0; // epoch ms; at or before now: awake
    };

    // The keys (only those labelled `label`, when one is given) in the order to try them
    // for `model`: the awake ones from this call's turn on, then the resting ones, the
    // soonest to wake first. Empty when the pool has no such key.
    QList<Candidate> candidates(const ProviderRuntime &provider, const QString &label, const QString &model,
                                qint64 nowMs);
    // Rests a key (empty label: the provider has none) for one upstream model.
    void rest(const QString &provider, const QString &label, const QString &model, qint64 nowMs, qint64 forMs);
    // When the target can next be used without resting keys (epoch ms); at or before now: it can.
    qint64 wakesAtMs(const RouteTarget &target, qint64 nowMs) const;
    // A key (or a keyless provider's target: empty label) resting for one upstream model.
    struct Resting
    {
        QString provider;
        QString label; // the key's label in the pool (a name, never the key)
        QString model;
        qint64 wakesAtMs = 0; // epoch ms
    };
    // What rests after `nowMs`, soonest to wake first (then by provider, label, model): a copy
    // taken in one short critical section.
    QList<Resting> resting(qint64 nowMs) const;
    // Moves targets whose keys all rest for their model behind the others, soonest to wake
    // first, and keeps the strategy's order otherwise.
    void preferAwake(QList<RouteTarget> &targets, qint64 nowMs) const;

private:
    qint64 restsUntilLocked(const QString &provider, const QString &label, const QString &model) const;

    mutable QMutex m_mutex;
    QHash<QString, quint64> m_turn; // provider -> calls so far
    QHash<QString, qint64> m_restUntil; // "provider\nlabel\nmodel" -> epoch ms
};

} // namespace sy::gateway
