// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "livemetrics.h"

#include <algorithm>

#include "common/usagerecord.h"

namespace sy::store {

namespace {

// Label values per the exposition format: backslash, double quote and newline escaped.
QByteArray labelValue(const QString &value)
{
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 12);
}

template<typename Map>
QList<typename Map::key_type> sortedKeys(const Map &map)
{
    auto keys = map.keys();
    std::sort(keys.begin(), keys.end());
    return keys;
}

} // namespace

LiveMetrics::LiveMetrics() = default;
LiveMetrics::~LiveMetrics() = default;

void LiveMetrics::Histogram::add(qint64 ms)
{
    const double seconds = double(ms) / 1000.0;
    int bucket = 0;
    while (bucket < kBucketCount && seconds > kBuckets[bucket])
        ++bucket;
    ++counts[bucket];
    ++count;
    sumMs += ms;
}

void LiveMetrics::record(const UsageRecord &record)
{
    QMutexLocker lock(&m_mutex);
    ModelCounters &counters = m_models[record.provider][record.model];
    ++counters.requestsByStatus[record.status];
    counters.inputTokens += qMax<qint64>(0, record.inputTokens);
    counters.outputTokens += qMax<qint64>(0, record.outputTokens);
    counters.cachedInputTokens += qMax<qint64>(0, record.cachedInputTokens); // unknown (-1) adds nothing
    counters.cacheWriteTokens += qMax<qint64>(0, record.cacheWriteTokens);
    if (record.costMicroUsd >= 0)
        counters.costMicroUsd += record.costMicroUsd;
    else
        ++counters.unknownCostRequests;
    m_duration[record.provider].add(record.latencyMs);
    if (record.ttfbMs >= 0)
        m_ttfb[record.provider].add(record.ttfbMs);
}

QByteArray LiveMetrics::prometheusText() const
{
    QMutexLocker lock(&m_mutex);
    QByteArray out;
    const auto header = [&out](const char *name, const char *type, const char *help) {
        out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
    };
    // An explicit QByteArray: with QStringBuilder, auto would keep references to temporaries.
    const auto modelLabels = [](const QString &provider, const QString &model) -> QByteArray {
        return "provider=\"" + labelValue(provider) + "\",model=\"" + labelValue(model) + '"';
    };

    header("switchyard_requests_total", "counter", "Finished requests by provider, model and HTTP status.");
    for (const QString &provider : sortedKeys(m_models)) {
        const QHash<QString, ModelCounters> models = m_models.value(provider);
        for (const QString &model : sortedKeys(models)) {
            const QHash<int, qint64> byStatus = models.value(model).requestsByStatus;
            for (const int status : sortedKeys(byStatus))
                out += "switchyard_requests_total{" + modelLabels(provider, model) + ",status=\""
                    + QByteArray::number(status) + "\"} " + QByteArray::number(byStatus.value(status)) + '\n';
        }
    }
    struct Counter
    {
        const char *name;
        const char *help;
        qint64 ModelCounters::*field;
    };
    const Counter counters[] = {
        {"switchyard_input_tokens_total", "Input tokens (uncached, as reported), by provider and model.",
         &ModelCounters::inputTokens},
        {"switchyard_output_tokens_total", "Output tokens, by provider and model.", &ModelCounters::outputTokens},
        {"switchyard_cached_input_tokens_total", "Input tokens read from the provider's cache.",
         &ModelCounters::cachedInputTokens},
        {"switchyard_cache_write_tokens_total", "Input tokens written to the provider's cache.",
         &ModelCounters::cacheWriteTokens},
        {"switchyard_unknown_cost_requests_total", "Requests whose cost is unknown (no price or no usage).",
         &ModelCounters::unknownCostRequests},
    };
    for (const Counter &counter : counters) {
        header(counter.name, "counter", counter.help);
        for (const QString &provider : sortedKeys(m_models)) {
            const QHash<QString, ModelCounters> models = m_models.value(provider);
            for (const QString &model : sortedKeys(models))
                out += QByteArray(counter.name) + '{' + modelLabels(provider, model) + "} "
                    + QByteArray::number(models.value(model).*counter.field) + '\n';
        }
    }
    header("switchyard_cost_usd_total", "counter", "Cost in US dollars of the requests whose cost is known.");
    for (const QString &provider : sortedKeys(m_models)) {
        const QHash<QString, ModelCounters> models = m_models.value(provider);
        for (const QString &model : sortedKeys(models))
            out += "switchyard_cost_usd_total{" + modelLabels(provider, model) + "} "
                + number(double(models.value(model).costMicroUsd) / 1e6) + '\n';
    }

    const auto histogram = [&](const char *name, const char *help, const QHash<QString, Histogram> &byProvider) {
        header(name, "histogram", help);
        for (const QString &provider : sortedKeys(byProvider)) {
            const Histogram h = byProvider.value(provider);
            const QByteArray label = "provider=\"" + labelValue(provider) + '"';
            qint64 cumulative = 0;
            for (int i = 0; i < kBucketCount; ++i) {
                cumulative += h.counts[i];
                out += QByteArray(name) + "_bucket{" + label + ",le=\"" + number(kBuckets[i]) + "\"} "
                    + QByteArray::number(cumulative) + '\n';
            }
            out += QByteArray(name) + "_bucket{" + label + ",le=\"+Inf\"} " + QByteArray::number(h.count) + '\n';
            out += QByteArray(name) + "_sum{" + label + "} " + number(double(h.sumMs) / 1000.0) + '\n';
            out += QByteArray(name) + "_count{" + label + "} " + QByteArray::number(h.count) + '\n';
        }
    };
    histogram("switchyard_request_duration_seconds", "Time from request received to response end.", m_duration);
    histogram("switchyard_time_to_first_byte_seconds", "Time from request received to the upstream's first byte.",
              m_ttfb);
    return out;
}

} // namespace sy::store
