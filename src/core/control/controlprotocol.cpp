// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "controlprotocol.h"

#include <limits>

#include <QDir>
#include <QJsonDocument>

#include "common/usagerecord.h"
#include "live/figures.h"

namespace sy::control {

namespace {

QJsonArray histogramToJson(const live::LatencyHistogram &histogram)
{
    // Sparse: [[bucket, count], ...]; a second holds a few buckets out of 120.
    QJsonArray buckets;
    if (histogram.count() == 0)
        return buckets;
    for (int i = 0; i < live::LatencyHistogram::kBuckets; ++i) {
        if (const quint32 count = histogram.bucketCount(i))
            buckets.append(QJsonArray {i, qint64(count)});
    }
    return buckets;
}

live::LatencyHistogram histogramFromJson(const QJsonArray &buckets)
{
    live::LatencyHistogram histogram;
    for (const QJsonValue &pair : buckets) {
        const QJsonArray bucket = pair.toArray();
        const qint64 count = bucket.at(1).toInteger();
        if (count > 0 && count <= std::numeric_limits<quint32>::max())
            histogram.addToBucket(bucket.at(0).toInt(-1), quint32(count));
    }
    return histogram;
}

struct OutcomeName
{
    Outcome outcome;
    QLatin1String name;
};

constexpr OutcomeName kOutcomes[] = {
    {Outcome::Completed, QLatin1String("completed")},
    {Outcome::ClientDisconnected, QLatin1String("client_disconnected")},
    {Outcome::UpstreamFailed, QLatin1String("upstream_failed")},
    {Outcome::UpstreamTruncated, QLatin1String("upstream_truncated")},
    {Outcome::Rejected, QLatin1String("rejected")},
};

} // namespace

QString ControlProtocol::socketPath(const QString &dataDir)
{
    return QDir(dataDir).absoluteFilePath(socketFileName());
}

QByteArray ControlProtocol::encode(QJsonObject message)
{
    message.insert(u"v", kVersion);
    QByteArray line = QJsonDocument(message).toJson(QJsonDocument::Compact);
    line.append('\n');
    return line;
}

Result<QJsonObject> ControlProtocol::decode(QByteArrayView line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return Result<QJsonObject>::failure(QStringLiteral("not a JSON object"));
    return document.object();
}

QJsonObject ControlProtocol::toJson(const live::Figures &f)
{
    return QJsonObject {
        {QStringLiteral("requests"), f.requests},
        {QStringLiteral("rejected"), f.rejected},
        {QStringLiteral("upstream_errors"), f.upstreamErrors},
        {QStringLiteral("client_disconnects"), f.clientDisconnects},
        {QStringLiteral("input_tokens"), f.inputTokens},
        {QStringLiteral("output_tokens"), f.outputTokens},
        {QStringLiteral("cached_input_tokens"), f.cachedInputTokens},
        {QStringLiteral("cache_write_tokens"), f.cacheWriteTokens},
        {QStringLiteral("reasoning_tokens"), f.reasoningTokens},
        {QStringLiteral("cost_micro_usd"), f.costMicroUsd},
        {QStringLiteral("unpriced_requests"), f.unpricedRequests},
        {QStringLiteral("latency"), histogramToJson(f.latency)},
        {QStringLiteral("ttfb"), histogramToJson(f.ttfb)},
    };
}

live::Figures ControlProtocol::figuresFromJson(const QJsonObject &o)
{
    live::Figures f;
    f.requests = o.value(u"requests").toInteger();
    f.rejected = o.value(u"rejected").toInteger();
    f.upstreamErrors = o.value(u"upstream_errors").toInteger();
    f.clientDisconnects = o.value(u"client_disconnects").toInteger();
    f.inputTokens = o.value(u"input_tokens").toInteger();
    f.outputTokens = o.value(u"output_tokens").toInteger();
    f.cachedInputTokens = o.value(u"cached_input_tokens").toInteger();
    f.cacheWriteTokens = o.value(u"cache_write_tokens").toInteger();
    f.reasoningTokens = o.value(u"reasoning_tokens").toInteger();
    f.costMicroUsd = o.value(u"cost_micro_usd").toInteger();
    f.unpricedRequests = o.value(u"unpriced_requests").toInteger();
    f.latency = histogramFromJson(o.value(u"latency").toArray());
    f.ttfb = histogramFromJson(o.value(u"ttfb").toArray());
    return f;
}

QJsonObject ControlProtocol::toJson(const UsageRecord &r)
{
    QString outcome;
    for (const OutcomeName &entry : kOutcomes) {
        if (entry.outcome == r.outcome)
            outcome = entry.name;
    }
    return QJsonObject {
        {QStringLiteral("started_at"), r.startedAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("client"), r.client},
        {QStringLiteral("provider"), r.provider},
        {QStringLiteral("model"), r.model},
        {QStringLiteral("route"), r.route},
        {QStringLiteral("endpoint"), r.endpoint},
        {QStringLiteral("status"), r.status},
        {QStringLiteral("streamed"), r.streamed},
        {QStringLiteral("outcome"), outcome},
        {QStringLiteral("latency_ms"), r.latencyMs},
        {QStringLiteral("ttfb_ms"), r.ttfbMs},
        {QStringLiteral("input_tokens"), r.inputTokens},
        {QStringLiteral("output_tokens"), r.outputTokens},
        {QStringLiteral("cached_input_tokens"), r.cachedInputTokens},
        {QStringLiteral("cache_write_tokens"), r.cacheWriteTokens},
        {QStringLiteral("reasoning_tokens"), r.reasoningTokens},
        {QStringLiteral("cost_micro_usd"), r.costMicroUsd},
        {QStringLiteral("price_book_version"), r.priceBookVersion},
        {QStringLiteral("attempts"), r.attempts},
    };
}

UsageRecord ControlProtocol::recordFromJson(const QJsonObject &o)
{
    UsageRecord r;
    r.startedAt = QDateTime::fromString(o.value(u"started_at").toString(), Qt::ISODateWithMs).toUTC();
    r.client = o.value(u"client").toString();
    r.provider = o.value(u"provider").toString();
    r.model = o.value(u"model").toString();
    r.route = o.value(u"route").toString();
    r.endpoint = o.value(u"endpoint").toString();
    r.status = o.value(u"status").toInt();
    r.streamed = o.value(u"streamed").toBool();
    const QString outcome = o.value(u"outcome").toString();
    for (const OutcomeName &entry : kOutcomes) {
        if (outcome == entry.name)
            r.outcome = entry.outcome;
    }
    r.latencyMs = o.value(u"latency_ms").toInteger();
    r.ttfbMs = o.value(u"ttfb_ms").toInteger(-1);
    r.inputTokens = o.value(u"input_tokens").toInteger(-1);
    r.outputTokens = o.value(u"output_tokens").toInteger(-1);
    r.cachedInputTokens = o.value(u"cached_input_tokens").toInteger();
    r.cacheWriteTokens = o.value(u"cache_write_tokens").toInteger();
    r.reasoningTokens = o.value(u"reasoning_tokens").toInteger();
    r.costMicroUsd = o.value(u"cost_micro_usd").toInteger(-1);
    r.priceBookVersion = o.value(u"price_book_version").toString();
    r.attempts = o.value(u"attempts").toInt(1);
    return r;
}

} // namespace sy::control
