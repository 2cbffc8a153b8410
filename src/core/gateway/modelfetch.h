// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QByteArray>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include "providers/wireformat.h"
#include "upstream/upstreamrequest.h"

namespace sy::upstream {
class UpstreamCall;
class UpstreamPool;
} // namespace sy::upstream

namespace sy::gateway {

struct ProviderRuntime;

// One provider's own model list, as its API gives it: `GET {api root}/models` with the
// provider's key, following Anthropic's pages (has_more / after_id). What ModelCatalog runs
// for each provider whose config lists no models. Ends with finished(); errorString() is
// empty on success and never holds a key or a body.
class ModelFetch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelFetch)

public:
    // The first key of the provider's pool is used; none for a keyless loopback upstream.
    ModelFetch(upstream::UpstreamPool &pool, const ProviderRuntime &provider, int connectTimeoutMs,
               QObject *parent = nullptr);
    ~ModelFetch() override;

    void start();
    bool isDone() const { return m_done; }
    const QStringList &models() const { return m_models; }
    const QString &errorString() const { return m_error; }

    static constexpr int kTimeoutMs = 30'000; // the whole fetch, every page
    static constexpr int kMaxPages = 20;
    static constexpr int kMaxModels = 5000;
    static constexpr qsizetype kMaxBodyBytes = 16 * 1024 * 1024;

signals:
    void finished();

private:
    void requestPage();
    void onResponseStarted(int status);
    void onBodyReceived(QByteArrayView data);
    void onCallFinished();
    void onCallFailed(upstream::UpstreamError error);
    void finish(const QString &error);

    upstream::UpstreamPool &m_pool;
    providers::WireFormat m_format;
    upstream::UpstreamRequest m_request; // the first page's; later pages add after_id
    QByteArray m_firstTarget;
    std::unique_ptr<upstream::UpstreamCall> m_call;
    QTimer m_deadline;
    QByteArray m_body;
    QStringList m_models;
    QString m_error;
    int m_status = 0;
    int m_pages = 0;
    bool m_done = false;
};

} // namespace sy::gateway
