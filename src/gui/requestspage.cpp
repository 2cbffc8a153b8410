// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "requestspage.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMenu>
#include <QScrollBar>
#include <QTimer>

#include "format.h"
#include "live/recentrequests.h"
#include "requestsfiltermodel.h"
#include "requestsmodel.h"
#include "sortarrowstyle.h"

#include "ui_requestspage.h"

namespace sy::gui {

namespace {
// Refills a filter combo with "any" plus the values seen, keeping the current choice.
void refill(QComboBox *combo, const QString &any, const QStringList &values)
{
    const QString current = combo->currentData().toString();
    const QSignalBlocker blocker(combo);
    combo->clear();
    combo->addItem(any, QString());
    for (const QString &value : values)
        combo->addItem(value, value);
    combo->setCurrentIndex(qMax(0, combo->findData(current)));
}
} // namespace

RequestsPage::RequestsPage(live::RecentRequests &recent, QWidget *parent)
    : QWidget(parent), m_recent(recent), m_ui(std::make_unique<Ui::RequestsPage>()),
      m_model(new RequestsModel(RequestsModel::kDefaultCapacity, this)), m_filter(new RequestsFilterModel(this))
{
    m_ui->setupUi(this);
    m_filter->setSourceModel(m_model);
    m_ui->requestsTable->setModel(m_filter);
    m_ui->requestsTable->sortByColumn(RequestsModel::Time, Qt::DescendingOrder);
    m_ui->requestsTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_ui->requestsTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    const int digit = fontMetrics().horizontalAdvance(u'0');
    const QList<std::pair<int, int>> widths {
        {RequestsModel::Time, 8},        {RequestsModel::Client, 9},       {RequestsModel::Provider, 8},
        {RequestsModel::Model, 15},      {RequestsModel::Status, 5},       {RequestsModel::Cost, 8},
        {RequestsModel::InputTokens, 6}, {RequestsModel::OutputTokens, 6}, {RequestsModel::Latency, 7},
        {RequestsModel::Ttfb, 7},        {RequestsModel::Outcome, 10}};
    for (const auto &[column, chars] : widths)
        m_ui->requestsTable->setColumnWidth(column, chars * digit + 16);
    // Shown in the detail pane; the header's context menu brings any column back.
    m_ui->requestsTable->setColumnHidden(RequestsModel::Endpoint, true);
    m_ui->requestsTable->setColumnHidden(RequestsModel::Ttfb, true);
    m_ui->requestsTable->setColumnHidden(RequestsModel::Outcome, true); // the status's tooltip says it
    QHeaderView *header = m_ui->requestsTable->horizontalHeader();
    // Newest first shows a down arrow on the Time column.
    auto *arrows = new SortArrowStyle;
    arrows->setParent(header); // a widget does not own its style
    header->setStyle(arrows);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QHeaderView::customContextMenuRequested, this, &RequestsPage::onHeaderMenu);
    m_ui->splitter->setStretchFactor(0, 1);
    m_ui->splitter->setStretchFactor(1, 0);

    m_ui->statusFilter->addItem(tr("Any status"), QVariant::fromValue(RequestsFilterModel::StatusFilter::Any));
    m_ui->statusFilter->addItem(tr("Successful"), QVariant::fromValue(RequestsFilterModel::StatusFilter::Success));
    m_ui->statusFilter->addItem(tr("Errors"), QVariant::fromValue(RequestsFilterModel::StatusFilter::Errors));
    m_ui->statusFilter->addItem(tr("Refused by the gateway"),
                                QVariant::fromValue(RequestsFilterModel::StatusFilter::GatewayRefused));
    m_ui->statusFilter->addItem(tr("Provider errors"),
                                QVariant::fromValue(RequestsFilterModel::StatusFilter::ProviderErrors));

    connect(m_model, &RequestsModel::valuesSeen, this, &RequestsPage::onValuesSeen);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &RequestsPage::updateCount);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &RequestsPage::updateCount);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RequestsPage::updateCount);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &RequestsPage::updateCount);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &RequestsPage::updateCount);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &RequestsPage::updateCount);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &RequestsPage::updateCount);
    for (QComboBox *combo : {m_ui->clientFilter, m_ui->providerFilter, m_ui->modelFilter, m_ui->statusFilter})
        connect(combo, &QComboBox::currentIndexChanged, this, &RequestsPage::onFiltersChanged);
    connect(m_ui->textFilter, &QLineEdit::textChanged, this, &RequestsPage::onFiltersChanged);
    connect(m_ui->requestsTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RequestsPage::onCurrentChanged);
    connect(&m_recent, &live::RecentRequests::recorded, this, &RequestsPage::onRecorded);
    connect(m_ui->requestsTable->verticalScrollBar(), &QScrollBar::valueChanged, this, &RequestsPage::onScrolled);
    connect(m_ui->olderButton, &QPushButton::clicked, this, &RequestsPage::loadOlder);

    m_model->reset(m_recent.latest(m_model->capacity()));
    onValuesSeen();
    showDetails(nullptr);
    updateCount();
    updatePaging();
}

RequestsPage::~RequestsPage() = default;

void RequestsPage::shutdown()
{
    if (m_shutDown)
        return; // the host may be gone by now
    m_shutDown = true;
    disconnect(&m_recent, nullptr, this, nullptr);
}

void RequestsPage::setHistory(const QString &dataDir)
{
    delete m_older;
    m_older = new OlderRequestsLoader(dataDir, this);
    connect(m_older, &OlderRequestsLoader::loaded, this, &RequestsPage::onOlderLoaded);
    connect(m_older, &OlderRequestsLoader::failed, this, &RequestsPage::onOlderFailed);
    m_endAt.reset();
    m_olderError.clear();
    m_ui->olderButton->setVisible(true);
    updatePaging();
}

void RequestsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Rows that do not fill the table leave nothing to scroll: the end is in sight, so the
    // next page comes at once (after a restart: the last session's latest requests). Checked
    // once laid out.
    QTimer::singleShot(0, this, [this] {
        const QTableView *table = m_ui->requestsTable;
        if (isVisible() && table->verticalHeader()->length() <= table->viewport()->height())
            loadOlder();
    });
}

void RequestsPage::onScrolled(int value)
{
    const QHeaderView *header = m_ui->requestsTable->horizontalHeader();
    // The end of the table is the oldest request only while it is sorted newest first.
    if (value > 0 && value == m_ui->requestsTable->verticalScrollBar()->maximum()
        && header->sortIndicatorSection() == RequestsModel::Time && header->sortIndicatorOrder() == Qt::DescendingOrder)
        loadOlder();
}

bool RequestsPage::atHistoryEnd() const
{
    // Live rows that push out the bottom move the place the next page starts: more may be there.
    return m_endAt && *m_endAt == m_model->olderPosition();
}

void RequestsPage::loadOlder()
{
    if (!m_older || m_older->isLoading() || m_shutDown || m_model->isFull() || atHistoryEnd())
        return;
    m_olderError.clear();
    m_olderGeneration = m_model->generation();
    m_model->holdBottom(true); // so the page still joins on below the bottom row when it comes
    m_older->load(m_model->olderPosition(), kPageRows);
    updatePaging();
}

void RequestsPage::onOlderLoaded(const QList<sy::gui::OlderRequestsLoader::Row> &rows, bool end)
{
    if (m_olderGeneration != m_model->generation()) { // asked for rows that are gone
        updatePaging();
        return;
    }
    const int added = m_model->appendOlder(rows);
    if (end)
        m_endAt = m_model->olderPosition();
    updatePaging();
    if (added == 0 && !end)
        loadOlder(); // the page held only rows shown already: the next one goes on
}

void RequestsPage::onOlderFailed(const QString &error)
{
    m_model->holdBottom(false);
    m_olderError = error;
    updatePaging();
}

void RequestsPage::updatePaging()
{
    QString note;
    const bool loading = m_older && m_older->isLoading();
    if (!m_older)
        note = tr("Shows the latest %1 requests kept in memory while Switchyard runs. Older requests are in the "
                  "usage history (switchyard export-usage).")
                   .arg(Format::count(m_model->capacity()));
    else if (loading)
        note = tr("Loading older requests…");
    else if (!m_olderError.isEmpty())
        note = tr("Older requests could not be read: %1").arg(m_olderError);
    else if (m_model->isFull())
        note = tr("Shows %1 requests, as many as this page holds. Older ones are in the usage history "
                  "(switchyard export-usage).")
                   .arg(Format::count(m_model->rowCount()));
    else if (atHistoryEnd())
        note = tr("No older requests in the usage history.");
    else
        note = tr("Older requests load from the usage history as you scroll to the end.");
    m_ui->pagingNote->setText(note);
    m_ui->olderButton->setEnabled(m_older && !loading && !m_shutDown && !m_model->isFull() && !atHistoryEnd());
}

void RequestsPage::onHeaderMenu(const QPoint &position)
{
    QMenu menu(this);
    for (int column = 0; column < RequestsModel::ColumnCount; ++column) {
        QAction *action = menu.addAction(m_model->headerData(column, Qt::Horizontal).toString());
        action->setCheckable(true);
        action->setChecked(!m_ui->requestsTable->isColumnHidden(column));
        connect(action, &QAction::toggled, this,
                [this, column](bool shown) { m_ui->requestsTable->setColumnHidden(column, !shown); });
    }
    menu.exec(m_ui->requestsTable->horizontalHeader()->mapToGlobal(position));
}

void RequestsPage::onRecorded(const sy::UsageRecord &record)
{
    m_model->add(record);
}

void RequestsPage::onValuesSeen()
{
    refill(m_ui->clientFilter, tr("All clients"), m_model->clients());
    refill(m_ui->providerFilter, tr("All providers"), m_model->providers());
    refill(m_ui->modelFilter, tr("All models"), m_model->models());
}

void RequestsPage::onFiltersChanged()
{
    m_filter->setClient(m_ui->clientFilter->currentData().toString());
    m_filter->setProvider(m_ui->providerFilter->currentData().toString());
    m_filter->setModel(m_ui->modelFilter->currentData().toString());
    m_filter->setStatusFilter(m_ui->statusFilter->currentData().value<RequestsFilterModel::StatusFilter>());
    m_filter->setText(m_ui->textFilter->text());
    updateCount();
}

void RequestsPage::updateCount()
{
    const int shown = m_filter->rowCount();
    const int all = m_model->rowCount();
    m_ui->countLabel->setText(shown == all ? tr("Requests: %1").arg(Format::count(all))
                                           : tr("Requests: %1 of %2").arg(Format::count(shown), Format::count(all)));
    updatePaging(); // the bottom may have moved: more history may be there
}

void RequestsPage::onCurrentChanged()
{
    const QModelIndex current = m_filter->mapToSource(m_ui->requestsTable->currentIndex());
    showDetails(current.isValid() ? &m_model->record(current.row()) : nullptr);
}

void RequestsPage::showDetails(const UsageRecord *record)
{
    m_ui->detailBox->setEnabled(record != nullptr);
    if (!record) {
        for (QLabel *label : m_ui->detailBox->findChildren<QLabel *>()) {
            if (label->objectName().startsWith(u"detail") && !label->objectName().endsWith(u"Caption"))
                label->setText(Format::dash());
        }
        m_ui->detailBox->setTitle(tr("Select a request to see its details"));
        return;
    }
    const UsageRecord &r = *record;
    const auto orDash = [](const QString &text) { return text.isEmpty() ? Format::dash() : text; };
    m_ui->detailBox->setTitle(tr("Request"));
    m_ui->detailTime->setText(Format::dateTime(r.startedAt));
    m_ui->detailClient->setText(orDash(r.client));
    m_ui->detailProvider->setText(orDash(r.provider));
    m_ui->detailModel->setText(orDash(r.model));
    m_ui->detailRoute->setText(orDash(r.route));
    m_ui->detailEndpoint->setText(orDash(r.endpoint));
    m_ui->detailStatus->setText(QString::number(r.status));
    m_ui->detailOutcome->setText(Format::isError(r) ? tr("%1: %2").arg(Format::outcome(r.outcome), Format::reason(r))
                                                    : Format::outcome(r.outcome));
    m_ui->detailStreamed->setText(r.streamed ? tr("yes") : tr("no"));
    m_ui->detailAttempts->setText(Format::count(r.attempts));
    m_ui->detailLatency->setText(Format::duration(r.latencyMs));
    m_ui->detailTtfb->setText(Format::duration(r.ttfbMs));
    m_ui->detailInputTokens->setText(Format::tokens(r.inputTokens));
    m_ui->detailCachedTokens->setText(Format::tokens(r.cachedInputTokens));
    m_ui->detailCacheWriteTokens->setText(Format::tokens(r.cacheWriteTokens));
    m_ui->detailOutputTokens->setText(Format::tokens(r.outputTokens));
    m_ui->detailReasoningTokens->setText(Format::tokens(r.reasoningTokens));
    m_ui->detailCost->setText(r.costMicroUsd < 0 && r.inputTokens >= 0 ? tr("no price known for this model")
                                                                       : Format::money(r.costMicroUsd));
    m_ui->detailPriceBook->setText(orDash(r.priceBookVersion));
}

} // namespace sy::gui
