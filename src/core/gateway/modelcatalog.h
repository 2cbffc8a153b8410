// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include "upstream/upstreampool.h"

namespace sy::gateway {

class GatewayState;
class ModelFetch;

// The models each provider lists itself, for the providers whose config names none, so
// GET /v1/models shows what a tool can call without the user typing every model in.
//
// Lives on its owner's thread (GatewayServer's), where it fetches in the background with
// its own upstream pool: at start, on every reload (a changed config or key), every
// kRefreshMs, and kRetryMs after a first failure. A provider that fails is left out (one log
// line per run of failures, never a key or a body); a provider without a key that is not
// loopback is not asked.
// Gateway threads read an immutable Listing swapped under a mutex, and never wait on an
// upstream for more than the bound they pass to whenListed().
class ModelCatalog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelCatalog)

public:
    struct Listing
    {
        QHash<QString, QStringList> models; // by provider id, in the provider's order
        int firstFetches = 0; // providers whose first list is still on its way
    };

    explicit ModelCatalog(QObject *parent = nullptr);
    ~ModelCatalog() override;

    // Starts fetching for this state; later states come through reload().
    void start(std::shared_ptr<const GatewayState> state);
    // Fetches again for the new state. A provider whose address or keys are unchanged keeps
    // serving its list meanwhile; one that changed counts as a first fetch again.
    void reload(std::shared_ptr<const GatewayState> state);
    void stop();
    void setRefreshInterval(int ms); // kRefreshMs unless a test wants to see a refresh

    // Safe from any thread.
    std::shared_ptr<const Listing> listing() const;
    // Calls `ready` on the caller's thread once no first fetch is under way, or after
    // `maxWaitMs`, whichever comes first; at once when nothing is pending. Never when
    // `context` (an object of the caller's thread) is destroyed first.
    void whenListed(QObject *context, int maxWaitMs, std::function<void()> ready) const;

    static constexpr int kRefreshMs = 10 * 60 * 1000;
    static constexpr int kRetryMs = 60 * 1000;
    static constexpr int kFirstListWaitMs = 1500; // the most GET /v1/models waits for a first fetch

signals:
    void listingChanged();

private:
    struct Entry
    {
        QByteArray identity; // what the list depends on: format, address, keys (hashed)
        QStringList models;
        bool listed = false; // models came from a successful fetch
        bool first = true; // no answer yet for this identity
        int failures = 0; // in a row: only the first is logged and retried soon
        ModelFetch *fetch = nullptr;
    };

    void apply(const std::shared_ptr<const GatewayState> &state);
    void fetch(const QString &providerId);
    void onFetchFinished(const QString &providerId, ModelFetch *fetch);
    void onRefreshDue();
    void onRetryDue();
    void publish();
    bool isWaitingForFirstLists() const;

    std::shared_ptr<const GatewayState> m_state;
    upstream::UpstreamPool m_pool; // before m_entries: fetches use it until they are gone
    QHash<QString, Entry> m_entries; // by provider id
    QTimer m_refresh;
    QTimer m_retry;
    bool m_active = false;

    mutable QMutex m_mutex;
    std::shared_ptr<const Listing> m_listing;
};

} // namespace sy::gateway
