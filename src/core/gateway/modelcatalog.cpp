// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "modelcatalog.h"

#include <QCryptographicHash>
#include <QMutexLocker>
#include <QPointer>

#include "gatewaylog.h"
#include "gatewaystate.h"
#include "modelfetch.h"

namespace sy::gateway {

namespace {

// Hashed, so the entry holds no second copy of the keys.
QByteArray identityOf(const ProviderRuntime &provider)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArray::number(int(provider.format)));
    hash.addData(QByteArrayView("\n"));
    hash.addData(provider.origin.key().toUtf8());
    hash.addData(QByteArrayView("\n"));
    hash.addData(provider.config.apiRoot);
    hash.addData(QByteArrayView("\n"));
    hash.addData(provider.origin.caFile.toUtf8());
    for (const secrets::ProviderKey &key : provider.keys) {
        hash.addData(QByteArrayView("\n"));
        hash.addData(key.secret);
    }
    return hash.result();
}

} // namespace

ModelCatalog::ModelCatalog(QObject *parent) : QObject(parent), m_listing(std::make_shared<const Listing>())
{
    m_refresh.setInterval(kRefreshMs);
    connect(&m_refresh, &QTimer::timeout, this, &ModelCatalog::onRefreshDue);
    m_retry.setSingleShot(true);
    m_retry.setInterval(kRetryMs);
    connect(&m_retry, &QTimer::timeout, this, &ModelCatalog::onRetryDue);
}

ModelCatalog::~ModelCatalog()
{
    // Fetches release their connections to m_pool: they go before it does.
    for (const Entry &entry : std::as_const(m_entries))
        delete entry.fetch;
}

void ModelCatalog::start(std::shared_ptr<const GatewayState> state)
{
    m_active = true;
    m_refresh.start();
    apply(state);
}

void ModelCatalog::reload(std::shared_ptr<const GatewayState> state)
{
    if (!m_active) {
        m_state = std::move(state);
        return;
    }
    apply(state);
}

void ModelCatalog::stop()
{
    m_active = false;
    m_refresh.stop();
    m_retry.stop();
    for (Entry &entry : m_entries) {
        delete entry.fetch;
        entry.fetch = nullptr;
        entry.first = false; // nobody waits for a fetch that will not come
    }
    publish();
}

void ModelCatalog::setRefreshInterval(int ms)
{
    m_refresh.setInterval(ms);
}

void ModelCatalog::apply(const std::shared_ptr<const GatewayState> &state)
{
    m_state = state;
    QHash<QString, Entry> previous = std::exchange(m_entries, {});
    for (const ProviderRuntime &provider : state->providers()) {
        const QString &id = provider.config.id;
        if (!provider.config.models.isEmpty())
            continue; // the config names its models: those are listed, nothing is asked
        if (provider.keys.isEmpty() && provider.requiresKey) {
            qCInfo(lcGateway).noquote()
                << QStringLiteral("provider '%1' has no key: its own models are not listed").arg(id);
            continue;
        }
        Entry entry;
        entry.identity = identityOf(provider);
        const auto it = previous.find(id);
        if (it != previous.end() && it->identity == entry.identity) {
            entry = std::exchange(*it, {}); // keeps serving its list while it is fetched again
        }
        m_entries.insert(id, entry);
    }
    for (Entry &gone : previous)
        delete gone.fetch;

    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        if (!it->fetch)
            fetch(it.key());
    }
    publish();
}

void ModelCatalog::fetch(const QString &providerId)
{
    const ProviderRuntime *provider = m_state ? m_state->provider(providerId) : nullptr;
    Entry &entry = m_entries[providerId];
    if (!provider || entry.fetch)
        return;
    entry.fetch = new ModelFetch(m_pool, *provider, m_state->config().connectTimeoutMs, this);
    ModelFetch *fetch = entry.fetch;
    connect(fetch, &ModelFetch::finished, this, [this, providerId, fetch] { onFetchFinished(providerId, fetch); });
    fetch->start();
}

void ModelCatalog::onFetchFinished(const QString &providerId, ModelFetch *fetch)
{
    fetch->deleteLater(); // we are inside its finished() emission
    const auto it = m_entries.find(providerId);
    if (it == m_entries.end() || it->fetch != fetch)
        return;
    Entry &entry = *it;
    entry.fetch = nullptr;
    entry.first = false;
    if (fetch->errorString().isEmpty()) {
        qCDebug(lcGateway) << "provider" << providerId << "lists" << fetch->models().size() << "models";
        entry.models = fetch->models();
        entry.listed = true;
        entry.failures = 0;
    } else {
        entry.models.clear();
        entry.listed = false;
        // A server without a models endpoint fails every time: say so once, then ask again
        // at the regular refresh only.
        if (++entry.failures == 1) {
            qCWarning(lcGateway).noquote()
                << QStringLiteral("could not list the models of provider '%1' (%2); they are left out of "
                                  "/v1/models, asked again in %3 s")
                       .arg(providerId, fetch->errorString())
                       .arg(kRetryMs / 1000);
            if (m_active && !m_retry.isActive())
                m_retry.start();
        } else {
            qCDebug(lcGateway).noquote() << QStringLiteral("still cannot list the models of provider '%1' (%2)")
                                                .arg(providerId, fetch->errorString());
        }
    }
    publish();
}

void ModelCatalog::onRefreshDue()
{
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
        fetch(it.key());
}

void ModelCatalog::onRetryDue()
{
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        if (!it->listed)
            fetch(it.key());
    }
}

void ModelCatalog::publish()
{
    auto listing = std::make_shared<Listing>();
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        if (it->listed)
            listing->models.insert(it.key(), it->models);
        if (it->first && it->fetch)
            ++listing->firstFetches;
    }
    {
        QMutexLocker lock(&m_mutex);
        m_listing = std::move(listing);
    }
    emit listingChanged();
}

std::shared_ptr<const ModelCatalog::Listing> ModelCatalog::listing() const
{
    QMutexLocker lock(&m_mutex);
    return m_listing;
}

bool ModelCatalog::isWaitingForFirstLists() const
{
    return listing()->firstFetches > 0;
}

void ModelCatalog::whenListed(QObject *context, int maxWaitMs, std::function<void()> ready) const
{
    if (maxWaitMs <= 0 || !isWaitingForFirstLists()) {
        ready();
        return;
    }
    // A waiter of the caller's thread: the signal reaches it queued, the timer fires there,
    // and both go with the context.
    auto *waiter = new QObject(context);
    auto pending = std::make_shared<std::function<void()>>(std::move(ready));
    auto finish = [waiter, pending] {
        if (!*pending)
            return;
        const std::function<void()> call = std::exchange(*pending, {});
        waiter->deleteLater();
        call();
    };
    connect(this, &ModelCatalog::listingChanged, waiter, [this, finish] {
        if (!isWaitingForFirstLists())
            finish();
    });
    QTimer::singleShot(maxWaitMs, waiter, finish);
    if (!isWaitingForFirstLists()) // settled before the connection was made
        finish();
}

} // namespace sy::gateway
