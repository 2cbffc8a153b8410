// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "dashboardpage.h"

#include <utility>

#include <QClipboard>
#include <QDateTime>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHeaderView>
#include <QTableWidgetItem>

#include "common/calendar.h"
#include "common/watchedfile.h"
#include "control/gatewaylink.h"
#include "format.h"
#include "live/livefigures.h"
#include "live/recentrequests.h"
#include "recenterrorsmodel.h"
#include "secrets/clientkeystore.h"
#include "usagesummary.h"

#include "ui_dashboardpage.h"

namespace sy::gui {

namespace {
// Series colours that read on light and dark bases alike (MinuteChart lightens them on dark).
const QColor kBlue(0x2f, 0x6f, 0xd6);
const QColor kRed(0xd6, 0x3a, 0x3a);
const QColor kGreen(0x1f, 0x9d, 0x55);
const QColor kOrange(0xd1, 0x7b, 0x0f);
} // namespace

DashboardPage::DashboardPage(control::GatewayLink &link, host::DataLocation location, UsageSummary &summary,
                             QWidget *parent)
    : QWidget(parent), m_link(link), m_location(std::move(location)), m_summary(summary),
      m_ui(std::make_unique<Ui::DashboardPage>()), m_errors(new RecentErrorsModel(this))
{
    m_ui->setupUi(this);
    m_ui->errorsList->setModel(m_errors);

    m_ui->requestsChart->setTitle(tr("Requests per minute"));
    m_ui->requestsChart->setSeries({{tr("Requests"), kBlue}, {tr("Errors"), kRed}});
    m_ui->requestsChart->setEmptyText(tr("No requests in the last hour.\nThey show here a second after they end."));
    m_ui->tokensChart->setTitle(tr("Tokens per minute"));
    m_ui->tokensChart->setSeries({{tr("Input"), kBlue}, {tr("Output"), kGreen}, {tr("Cached input"), kOrange}});
    m_ui->tokensChart->setEmptyText(tr("No tokens in the last hour."));
    m_ui->tokensChart->setValueFormat(QStringLiteral("%.0f"));
    m_ui->latencyChart->setTitle(tr("Latency (ms)"));
    m_ui->latencyChart->setSeries({{tr("p50"), kBlue}, {tr("p95"), kOrange}});
    m_ui->latencyChart->setEmptyText(tr("No latency to show without requests."));

    m_ui->envTable->setColumnCount(2);
    m_ui->envTable->setHorizontalHeaderLabels({tr("Tool"), tr("Paste this")});
    m_ui->envTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_ui->burnRateNote->setText(tr("over the last 15 minutes"));
    // Captions and values on one line across the cards, however many note lines each has.
    for (QLayout *layout :
         {m_ui->todayFigureLayout, m_ui->monthFigureLayout, m_ui->burnFigureLayout, m_ui->inFlightFigureLayout})
        layout->setAlignment(Qt::AlignTop);

    m_redraw.setInterval(kRedrawMs);
    connect(&m_redraw, &QTimer::timeout, this, &DashboardPage::refresh);
    connect(m_ui->copyAddressButton, &QPushButton::clicked, this, &DashboardPage::onCopyAddress);
    connect(m_ui->copyEnvButton, &QPushButton::clicked, this, &DashboardPage::onCopyEnvLine);
    connect(&m_link.recentRequests(), &live::RecentRequests::recorded, this, &DashboardPage::onRecorded);
    connect(&m_link, &control::GatewayLink::statusChanged, this, &DashboardPage::onStatusChanged);
    connect(&m_link, &control::GatewayLink::unlinked, this, &DashboardPage::onStatusChanged);
    connect(&m_summary, &UsageSummary::changed, this, &DashboardPage::onSummaryChanged);
    // The gateway, here or in a serve, watches the same file; a config-sized read.
    m_clientKeyFile = std::make_unique<WatchedFile>(secrets::ClientKeyStore(m_location.dataDir).path());
    connect(m_clientKeyFile.get(), &WatchedFile::changed, this, &DashboardPage::onClientKeysChanged);

    m_errors->reset(m_link.recentRequests().latest(200));
    onClientKeysChanged();
    onAddressKnown();
    onSummaryChanged();
}

DashboardPage::~DashboardPage() = default;

void DashboardPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_shutDown)
        return;
    refresh();
    m_redraw.start();
}

void DashboardPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_redraw.stop();
}

void DashboardPage::shutdown()
{
    if (m_shutDown)
        return; // the host may be gone by now
    m_shutDown = true;
    m_redraw.stop();
    disconnect(&m_link.recentRequests(), nullptr, this, nullptr);
    disconnect(&m_link, nullptr, this, nullptr);
    m_clientKeyFile.reset();
}

void DashboardPage::refresh()
{
    if (m_shutDown)
        return;
    flushErrors();
    const QList<live::Figures> minutes = m_link.figures().lastMinutes(60);
    QList<qreal> requests, errors, input, output, cached, p50, p95;
    qint64 lastHour = 0;
    for (const live::Figures &f : minutes) {
        requests << qreal(f.requests);
        errors << qreal(f.errors());
        input << qreal(f.inputTokens);
        output << qreal(f.outputTokens);
        cached << qreal(f.cachedInputTokens);
        p50 << qreal(qMax<qint64>(0, f.latency.percentile(0.5)));
        p95 << qreal(qMax<qint64>(0, f.latency.percentile(0.95)));
        lastHour += f.requests;
    }
    QDateTime minute = QDateTime::currentDateTimeUtc();
    minute.setTime(QTime(minute.time().hour(), minute.time().minute()));
    m_ui->requestsChart->setValues(minute, {requests, errors});
    m_ui->tokensChart->setValues(minute, {input, output, cached});
    m_ui->latencyChart->setValues(minute, {p50, p95});

    m_burnMicroUsdPerHour = m_link.figures().burnRateMicroUsdPerHour(); // the pace of the last 15 minutes
    m_ui->burnRateValue->setText(Format::moneyPerHour(m_burnMicroUsdPerHour));
    m_ui->inFlightValue->setText(Format::count(m_link.requestsInFlight()));
    m_ui->lastHourNote->setText(tr("Requests in the last hour: %1").arg(Format::count(lastHour)));
    const bool hadTraffic = m_lastHourRequests > 0;
    m_lastHourRequests = lastHour;
    updateSpend();
    if (hadTraffic != (lastHour > 0))
        updateEmptyState();
}

void DashboardPage::onRecorded(const sy::UsageRecord &record)
{
    // Shown with the next redraw (a second at most): one repaint of the list, not one per error.
    if (!Format::isError(record))
        return;
    m_pendingErrors.append(record);
    if (m_pendingErrors.size() > RecentErrorsModel::kCapacity)
        m_pendingErrors.removeFirst();
}

void DashboardPage::flushErrors()
{
    if (!m_pendingErrors.isEmpty())
        m_errors->addAll(std::exchange(m_pendingErrors, {}));
    m_ui->noErrorsLabel->setVisible(m_errors->rowCount() == 0);
    m_ui->errorsList->setVisible(m_errors->rowCount() > 0);
}

void DashboardPage::onSummaryChanged()
{
    updateSpend();
    updateEmptyState();
    flushErrors();
}

void DashboardPage::updateSpend()
{
    if (!m_summary.error().isEmpty()) {
        m_ui->todaySpendValue->setText(Format::dash());
        m_ui->monthSpendValue->setText(Format::dash());
        m_ui->todayNote->setText(tr("History unavailable: %1").arg(m_summary.error()));
        m_ui->projectionValue->clear();
        return;
    }
    if (!m_summary.isLoaded())
        return;
    const UsageSummary::Totals today = m_summary.today();
    const UsageSummary::Totals month = m_summary.month();
    m_ui->todaySpendValue->setText(Format::money(today.costMicroUsd));
    QString note = tr("Requests: %1, errors: %2").arg(Format::count(today.requests), Format::count(today.errors));
    if (today.unpricedRequests > 0)
        note += u'\n' + tr("Without a known price: %1").arg(Format::count(today.unpricedRequests));
    m_ui->todayNote->setText(note);
    m_ui->monthSpendValue->setText(Format::money(month.costMicroUsd));
    // What the month comes to if the last 15 minutes' rate held until its last day ends.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime monthEnd
        = Calendar::startOfMonth(Calendar::startOfMonth(now, Calendar::zone()).addDays(32), Calendar::zone());
    const qint64 hoursLeft = now.secsTo(monthEnd) / 3600;
    const qint64 projected = month.costMicroUsd + m_burnMicroUsdPerHour * hoursLeft;
    m_ui->projectionValue->setText(tr("%1 by month end at this rate").arg(Format::money(projected)));
}

void DashboardPage::onStatusChanged()
{
    const QString url = m_link.isLinked() ? m_link.url() : QString();
    // "gone": the gateway linked before went away.
    const QString state = m_link.isLinked() ? m_link.state() : m_state.isEmpty() ? QString() : QStringLiteral("gone");
    if (url != m_url) {
        m_url = url;
        onAddressKnown();
    }
    if (state != m_state) {
        m_state = state;
        updateEmptyState();
    }
}

void DashboardPage::onAddressKnown()
{
    // A started gateway may have a new config: whether client keys are required (a
    // config-sized read, only when the address changes).
    if (const auto config = m_location.loadConfig(); config)
        m_requireClientKey = config.value().requireClientKey;
    const QString url = m_url;
    m_ui->addressEdit->setText(url.isEmpty() ? tr("(not serving yet)") : url);
    m_ui->copyAddressButton->setEnabled(!url.isEmpty());
    m_ui->copyEnvButton->setEnabled(!url.isEmpty());
    const QString base = url.isEmpty() ? QStringLiteral("http://127.0.0.1:7788") : url;
    const QList<std::pair<QString, QString>> lines {
        {tr("OpenAI SDKs (Python, Node)"), QStringLiteral("OPENAI_BASE_URL=%1/v1").arg(base)},
        {tr("Anthropic SDKs (Python, Node)"), QStringLiteral("ANTHROPIC_BASE_URL=%1").arg(base)},
        {tr("Claude Code"), QStringLiteral("ANTHROPIC_BASE_URL=%1").arg(base)},
        {tr("Codex CLI"), QStringLiteral("OPENAI_BASE_URL=%1/v1").arg(base)},
        {tr("curl"), QStringLiteral("%1/v1/chat/completions").arg(base)},
    };
    const int selected = qMax(0, m_ui->envTable->currentRow());
    m_ui->envTable->setRowCount(int(lines.size()));
    for (int row = 0; row < lines.size(); ++row) {
        m_ui->envTable->setItem(row, 0, new QTableWidgetItem(lines.at(row).first));
        auto *line = new QTableWidgetItem(lines.at(row).second);
        line->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_ui->envTable->setItem(row, 1, line);
    }
    m_ui->envTable->selectRow(qMin(selected, int(lines.size()) - 1));
    m_ui->envTable->resizeRowsToContents();
    // As tall as its lines, so the page does not grow an empty box.
    m_ui->envTable->setFixedHeight(m_ui->envTable->horizontalHeader()->height()
                                   + m_ui->envTable->verticalHeader()->length() + 2 * m_ui->envTable->frameWidth());
    updateEmptyState();
}

void DashboardPage::updateEmptyState()
{
    if (m_shutDown)
        return;
    const bool needsKey = m_requireClientKey;
    m_ui->envNote->setText(needsKey ? tr("Your tool's API key is a client key from Switchyard "
                                         "(OPENAI_API_KEY, ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN).")
                                    : tr("Client keys are off: any API key will do."));
    const QString dataDirArgument
        = m_location.dataDirGiven ? QStringLiteral(" --data-dir %1").arg(m_location.dataDir) : QString();
    QString text;
    if (m_state == u"gone") {
        text = tr("No gateway is running.");
    } else if (m_state.isEmpty() || m_state == u"starting" || m_state == u"stopped") {
        text = tr("Starting the gateway…");
    } else if (needsKey && !m_hasClientKeys) {
        text = tr("<b>No client key yet</b>, so the gateway refuses every request (401). Create one in a "
                  "terminal:<br><code>switchyard client-key create my-laptop%1</code><br>and give the key it "
                  "prints to your tool as its API key, with one of the lines under “Connect your tools”.")
                   .arg(dataDirArgument.toHtmlEscaped());
    } else if (m_summary.isLoaded() && m_summary.month().requests == 0 && m_lastHourRequests == 0) {
        text = tr("<b>No requests yet.</b> Point a tool at the gateway with one of the lines under “Connect "
                  "your tools” below; its requests show here as they end.");
    }
    m_ui->emptyStateLabel->setText(text);
    m_ui->emptyStateLabel->setVisible(!text.isEmpty());
}

void DashboardPage::onClientKeysChanged()
{
    // The host's config holds no client keys (they live in their own file, as hashes); the
    // file is config-sized and read only when it changes.
    const auto keys = secrets::ClientKeyStore(m_location.dataDir).load();
    m_hasClientKeys = keys.ok() && !keys.value().isEmpty();
    updateEmptyState();
}

void DashboardPage::onCopyAddress()
{
    QGuiApplication::clipboard()->setText(m_url);
}

void DashboardPage::onCopyEnvLine()
{
    const int row = qMax(0, m_ui->envTable->currentRow());
    if (const QTableWidgetItem *item = m_ui->envTable->item(row, 1))
        QGuiApplication::clipboard()->setText(item->text());
}

} // namespace sy::gui
