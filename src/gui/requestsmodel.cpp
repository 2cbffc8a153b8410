// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "requestsmodel.h"

#include <algorithm>

#include <QBrush>
#include <QColor>
#include <QHash>
#include <QPalette>

#include "format.h"

namespace sy::gui {

namespace {

// Live rows carry no database id: one recorded live and the same row read back agree on these.
QString sameRequest(const UsageRecord &r)
{
    return QString::number(r.startedAt.toMSecsSinceEpoch()) + u'\n' + QString::number(r.latencyMs) + u'\n'
        + QString::number(r.status) + u'\n' + r.client + u'\n' + r.provider + u'\n' + r.model + u'\n' + r.endpoint;
}

// The gateway's clock and its latency timer may differ by a little: a page from a live row
// reaches this far past the moment it was recorded (rows shown already are skipped).
constexpr qint64 kClockSlackMs = 1000;

} // namespace

RequestsModel::RequestsModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent), m_capacity(capacity), m_limit(capacity)
{
    m_batch.setSingleShot(true);
    m_batch.setInterval(kBatchMs);
    connect(&m_batch, &QTimer::timeout, this, &RequestsModel::flush);
}

int RequestsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int RequestsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RequestsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_records.size())
        return {};
    const UsageRecord &r = m_records.at(index.row());
    if (role == ErrorRole)
        return Format::isError(r);
    if (role == SortRole) {
        switch (index.column()) {
        case Time:
            return r.startedAt.toMSecsSinceEpoch();
        case Status:
            return r.status;
        case InputTokens:
            return r.inputTokens;
        case OutputTokens:
            return r.outputTokens;
        case Cost:
            return r.costMicroUsd;
        case Latency:
            return r.latencyMs;
        case Ttfb:
            return r.ttfbMs;
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case Status:
        case InputTokens:
        case OutputTokens:
        case Cost:
        case Latency:
        case Ttfb:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Status && Format::isError(r))
        return QBrush(QColor(0xd9, 0x3a, 0x3a)); // readable on light and dark bases
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Time:
        return role == Qt::ToolTipRole ? Format::dateTime(r.startedAt) : Format::timeOfDay(r.startedAt);
    case Client:
        return r.client;
    case Provider:
        return r.provider;
    case Model:
        return r.route.isEmpty() || r.route == r.model ? r.model : tr("%1 (via %2)").arg(r.model, r.route);
    case Endpoint:
        return r.endpoint;
    case Status:
        if (role == Qt::ToolTipRole)
            return Format::isError(r) ? Format::reason(r) : Format::outcome(r.outcome);
        return r.status;
    case Outcome:
        return role == Qt::ToolTipRole && Format::isError(r) ? Format::reason(r) : Format::outcome(r.outcome);
    case InputTokens:
        return Format::tokens(r.inputTokens);
    case OutputTokens:
        return Format::tokens(r.outputTokens);
    case Cost:
        return Format::money(r.costMicroUsd);
    case Latency:
        return Format::duration(r.latencyMs);
    case Ttfb:
        return Format::duration(r.ttfbMs);
    default:
        return {};
    }
}

QVariant RequestsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Client:
        return tr("Client");
    case Provider:
        return tr("Provider");
    case Model:
        return tr("Model");
    case Endpoint:
        return tr("Endpoint");
    case Status:
        return tr("Status");
    case Outcome:
        return tr("Outcome");
    case InputTokens:
        return tr("Input");
    case OutputTokens:
        return tr("Output");
    case Cost:
        return tr("Cost");
    case Latency:
        return tr("Latency");
    case Ttfb:
        return tr("First byte");
    default:
        return {};
    }
}

void RequestsModel::reset(const QList<UsageRecord> &newestFirst)
{
    beginResetModel();
    ++m_generation;
    m_limit = m_capacity;
    m_holdBottom = false;
    m_pending.clear();
    m_records = newestFirst.mid(0, m_capacity);
    m_ids = QList<qint64>(m_records.size(), -1);
    m_idSet.clear();
    m_liveCursor.reset();
    bool changed = false;
    for (const UsageRecord &record : std::as_const(m_records))
        remember(record, changed);
    endResetModel();
    if (changed)
        emit valuesSeen();
}

void RequestsModel::add(const UsageRecord &record)
{
    m_pending.append(record);
    if (m_pending.size() > m_capacity) // more than a screenful arrived between batches
        m_pending.remove(0, m_pending.size() - m_capacity);
    if (!m_batch.isActive())
        m_batch.start();
}

void RequestsModel::flush()
{
    m_batch.stop();
    if (m_pending.isEmpty())
        return;
    const int incoming = int(m_pending.size());
    const int overflow = int(m_records.size()) + incoming - (m_holdBottom ? kMaxRows : m_limit);
    if (overflow > 0) { // the oldest leave first
        const int keep = int(m_records.size()) - overflow;
        beginRemoveRows({}, keep, int(m_records.size()) - 1);
        for (qsizetype i = keep; i < m_ids.size(); ++i)
            m_idSet.remove(m_ids.at(i));
        m_records.resize(keep);
        m_ids.resize(keep);
        m_liveCursor.reset();
        endRemoveRows();
    }
    bool changed = false;
    beginInsertRows({}, 0, incoming - 1);
    QList<UsageRecord> merged;
    merged.reserve(incoming + m_records.size());
    for (auto it = m_pending.crbegin(); it != m_pending.crend(); ++it) {
        remember(*it, changed);
        merged.append(*it);
    }
    merged.append(m_records);
    m_records = std::move(merged);
    m_ids = QList<qint64>(incoming, -1) + m_ids;
    m_pending.clear();
    endInsertRows();
    if (changed)
        emit valuesSeen();
}

store::RequestHistory::Position RequestsModel::olderPosition() const
{
    using Position = store::RequestHistory::Position;
    if (m_records.isEmpty())
        return Position(); // from the newest
    const UsageRecord &bottom = m_records.constLast();
    if (m_ids.constLast() >= 0)
        return {bottom.startedAt.toMSecsSinceEpoch(), m_ids.constLast()};
    if (m_liveCursor)
        return *m_liveCursor;
    return Position::atOrBefore(bottom.startedAt.toMSecsSinceEpoch() + qMax<qint64>(0, bottom.latencyMs)
                                + kClockSlackMs);
}

void RequestsModel::holdBottom(bool hold)
{
    m_holdBottom = hold;
}

int RequestsModel::appendOlder(const QList<store::RequestHistory::Row> &page)
{
    m_holdBottom = false;
    // The live rows a page may hold again, each as often as it is shown (or about to be: a
    // row is committed a while after it is recorded, so the page may hold one still pending).
    QHash<QString, int> live;
    for (qsizetype i = 0; i < m_records.size(); ++i) {
        if (m_ids.at(i) < 0)
            ++live[sameRequest(m_records.at(i))];
    }
    for (const UsageRecord &record : std::as_const(m_pending))
        ++live[sameRequest(record)];
    QList<UsageRecord> added;
    QList<qint64> ids;
    for (const store::RequestHistory::Row &row : page) {
        if (m_records.size() + added.size() >= kMaxRows)
            break;
        if (m_idSet.contains(row.id))
            continue;
        if (!live.isEmpty()) {
            auto it = live.find(sameRequest(row.record));
            if (it != live.end()) {
                if (--*it == 0)
                    live.erase(it);
                continue;
            }
        }
        added.append(row.record);
        ids.append(row.id);
    }
    if (added.isEmpty() && !page.isEmpty() && !m_records.isEmpty() && m_ids.constLast() < 0)
        m_liveCursor = page.constLast().position(); // all shown already: the next page goes on from here
    if (!added.isEmpty()) {
        m_liveCursor.reset();
        bool changed = false;
        const int first = int(m_records.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (qsizetype i = 0; i < added.size(); ++i) {
            remember(added.at(i), changed);
            m_idSet.insert(ids.at(i));
        }
        m_records += added;
        m_ids += ids;
        endInsertRows();
        if (changed)
            emit valuesSeen();
    }
    m_limit = int(qMin<qsizetype>(kMaxRows, qMax<qsizetype>(m_limit, m_records.size() + m_capacity)));
    return int(added.size());
}

void RequestsModel::remember(const UsageRecord &record, bool &changed)
{
    auto note = [&changed](QSet<QString> &set, const QString &value) {
        if (!value.isEmpty() && !set.contains(value)) {
            set.insert(value);
            changed = true;
        }
    };
    note(m_clients, record.client);
    note(m_providers, record.provider);
    note(m_models, record.model);
}

namespace {
QStringList sorted(const QSet<QString> &set)
{
    QStringList list(set.cbegin(), set.cend());
    std::sort(list.begin(), list.end(),
              [](const QString &a, const QString &b) { return QString::localeAwareCompare(a, b) < 0; });
    return list;
}
} // namespace

QStringList RequestsModel::clients() const
{
    return sorted(m_clients);
}

QStringList RequestsModel::providers() const
{
    return sorted(m_providers);
}

QStringList RequestsModel::models() const
{
    return sorted(m_models);
}

} // namespace sy::gui
