// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "modelfetch.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QUrl>

#include "gatewaystate.h"
#include "upstream/upstreamcall.h"
#include "upstream/upstreampool.h"

namespace sy::gateway {

namespace {

constexpr QByteArrayView kAnthropicVersion = "2023-06-01";
constexpr int kFirstByteTimeoutMs = 15'000; // a list, not a completion: no reason to think for minutes

} // namespace

ModelFetch::ModelFetch(upstream::UpstreamPool &pool, const ProviderRuntime &provider, int connectTimeoutMs,
                       QObject *parent)
    : QObject(parent), m_pool(pool), m_format(provider.format)
{
    m_request.origin = provider.origin;
    m_request.method = "GET";
    m_firstTarget = provider.config.apiRoot + "/models";
    // Anthropic pages 20 models by default; 1000 is its maximum, so one page is the rule.
    if (m_format == providers::WireFormat::Anthropic)
        m_firstTarget += "?limit=1000";
    m_request.headers = {{"Accept", "application/json"}, {"Accept-Encoding", "identity"}};
    if (!provider.keys.isEmpty()) {
        const QByteArray &secret = provider.keys.first().secret;
        if (m_format == providers::WireFormat::Anthropic)
            m_request.headers.append({"x-api-key", secret});
        else
            m_request.headers.append({"Authorization", "Bearer " + secret});
    }
    if (m_format == providers::WireFormat::Anthropic)
        m_request.headers.append({"anthropic-version", kAnthropicVersion.toByteArray()});
    m_request.connectTimeoutMs = qMin(connectTimeoutMs, kTimeoutMs);
    m_request.firstByteTimeoutMs = kFirstByteTimeoutMs;

    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] { finish(QStringLiteral("no complete answer in time")); });
}

ModelFetch::~ModelFetch() = default;

void ModelFetch::start()
{
    m_deadline.start(kTimeoutMs);
    m_request.target = m_firstTarget;
    requestPage();
}

void ModelFetch::requestPage()
{
    ++m_pages;
    m_status = 0;
    m_body.clear();
    if (m_call)
        m_call.release()->deleteLater(); // we may be inside its finished() emission
    m_call = std::make_unique<upstream::UpstreamCall>(m_pool, m_request);
    connect(m_call.get(), &upstream::UpstreamCall::responseStarted, this, &ModelFetch::onResponseStarted);
    connect(m_call.get(), &upstream::UpstreamCall::bodyReceived, this, &ModelFetch::onBodyReceived);
    connect(m_call.get(), &upstream::UpstreamCall::finished, this, &ModelFetch::onCallFinished);
    connect(m_call.get(), &upstream::UpstreamCall::failed, this, &ModelFetch::onCallFailed);
    m_call->start();
}

void ModelFetch::onResponseStarted(int status)
{
    m_status = status;
}

void ModelFetch::onBodyReceived(QByteArrayView data)
{
    if (m_done)
        return;
    if (m_body.size() + data.size() > kMaxBodyBytes) {
        finish(QStringLiteral("the list is larger than %1 MiB").arg(kMaxBodyBytes / (1024 * 1024)));
        return;
    }
    m_body.append(data);
}

void ModelFetch::onCallFinished()
{
    if (m_done)
        return;
    if (m_status < 200 || m_status > 299) {
        finish(QStringLiteral("HTTP %1").arg(m_status));
        return;
    }
    QJsonParseError parseError {};
    const QJsonDocument document = QJsonDocument::fromJson(m_body, &parseError);
    m_body.clear();
    if (parseError.error != QJsonParseError::NoError) {
        finish(QStringLiteral("the answer is not JSON"));
        return;
    }
    // {"data": [{"id": ...}]} from OpenAI, Anthropic and most compatible servers; a bare
    // array from a few (Together).
    const QJsonObject page = document.object();
    const QJsonArray data = document.isArray() ? document.array() : page.value(u"data").toArray();
    if (!document.isArray() && !page.value(u"data").isArray()) {
        finish(QStringLiteral("the answer has no model list"));
        return;
    }
    QSet<QString> seen(m_models.cbegin(), m_models.cend());
    for (const QJsonValue &entry : data) {
        const QString id = entry.toObject().value(u"id").toString();
        if (id.isEmpty() || seen.contains(id) || m_models.size() >= kMaxModels)
            continue;
        seen.insert(id);
        m_models.append(id);
    }

    const QString lastId = page.value(u"last_id").toString();
    if (m_format == providers::WireFormat::Anthropic && page.value(u"has_more").toBool() && !lastId.isEmpty()
        && m_pages < kMaxPages && m_models.size() < kMaxModels) {
        m_request.target = m_firstTarget + "&after_id=" + QUrl::toPercentEncoding(lastId);
        requestPage();
        return;
    }
    finish({});
}

void ModelFetch::onCallFailed(upstream::UpstreamError error)
{
    finish(upstream::describe(error));
}

void ModelFetch::finish(const QString &error)
{
    if (m_done)
        return;
    m_done = true;
    m_deadline.stop();
    if (m_call) {
        m_call->abort();
        m_call.release()->deleteLater();
    }
    m_error = error;
    if (!error.isEmpty())
        m_models.clear();
    emit finished();
}

} // namespace sy::gateway
