// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "benchprobe.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QEvent>
#include <QFile>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QWidget>

#include "guilog.h"

namespace sy::gui {

namespace {

constexpr auto kReportVariable = "SWITCHYARD_BENCH_REPORT";
constexpr qsizetype kWorstKept = 5;

// How long this process has existed: its start time in /proc/self/stat (field 22, clock
// ticks since boot) against the boot clock now. -1 where there is no /proc.
double processAgeMs()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    // Fields after the command name (which may hold spaces) start at field 3.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    constexpr qsizetype kStartTime = 22 - 3;
    timespec now {};
    if (fields.size() <= kStartTime || clock_gettime(CLOCK_BOOTTIME, &now) != 0)
        return -1;
    const double startMs = fields.at(kStartTime).toDouble() * 1000.0 / double(sysconf(_SC_CLK_TCK));
    return double(now.tv_sec) * 1000.0 + double(now.tv_nsec) / 1e6 - startMs;
}

// This thread's time on a core and waiting for one (ns), from the scheduler's statistics.
std::pair<qint64, qint64> schedStat(int fd)
{
    char text[128];
    const ssize_t size = fd < 0 ? -1 : ::pread(fd, text, sizeof text - 1, 0);
    if (size <= 0)
        return {0, 0};
    text[size] = 0;
    long long onCore = 0;
    long long waiting = 0;
    if (std::sscanf(text, "%lld %lld", &onCore, &waiting) != 2)
        return {0, 0};
    return {onCore, waiting};
}

} // namespace

std::unique_ptr<BenchProbe> BenchProbe::fromEnvironment(QWidget &window)
{
    const QString path = qEnvironmentVariable(kReportVariable);
    if (path.isEmpty())
        return nullptr;
    return std::unique_ptr<BenchProbe>(new BenchProbe(path, window));
}

BenchProbe::BenchProbe(QString path, QWidget &window) : m_path(std::move(path)), m_window(window)
{
    m_clock.start();
    m_startOffsetMs = processAgeMs();
    m_schedStat = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    qCInfo(lcGui) << "bench probe on: the report goes to" << m_path;
    // Every event of the GUI thread passes here: paints of the window are counted.
    QCoreApplication::instance()->installEventFilter(this);
    // Chart views are graphics views; their scenes change whenever a chart is redrawn,
    // shown or not.
    const QList<QGraphicsView *> views = window.findChildren<QGraphicsView *>();
    for (QGraphicsView *view : views) {
        if (QGraphicsScene *scene = view->scene()) {
            connect(scene, &QGraphicsScene::changed, this, [this] {
                ++m_sceneChanges;
                if (!m_window.isVisible()) {
                    ++m_sceneChangesHidden;
                    m_lastHiddenSceneChangeMs = sinceStartMs();
                }
            });
        }
    }
    m_tick.setTimerType(Qt::PreciseTimer);
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &BenchProbe::onTick);
    m_tick.start();
}

BenchProbe::~BenchProbe()
{
    QCoreApplication::instance()->removeEventFilter(this);
    if (m_schedStat >= 0)
        ::close(m_schedStat);
    QJsonArray worst;
    for (const Gap &gap : std::as_const(m_worst)) {
        worst.append(QJsonObject {{QStringLiteral("ms"), gap.ms},
                                  {QStringLiteral("on_core_ms"), gap.onCoreMs},
                                  {QStringLiteral("waiting_for_core_ms"), gap.waitingMs},
                                  {QStringLiteral("ended_at_ms"), gap.endedAtMs}});
    }
    QJsonObject byPage;
    for (auto it = m_paintsByPage.cbegin(); it != m_paintsByPage.cend(); ++it)
        byPage.insert(it.key(), it.value());
    QJsonObject byWidget;
    for (auto it = m_paintsByWidget.cbegin(); it != m_paintsByWidget.cend(); ++it)
        byWidget.insert(it.key(), it.value());
    const QJsonObject report {
        {QStringLiteral("first_paint_ms"), m_firstPaintMs},
        {QStringLiteral("max_gap_ms"), m_worst.isEmpty() ? 0.0 : m_worst.first().ms},
        {QStringLiteral("worst_gaps"), worst},
        {QStringLiteral("max_gap_less_waiting_ms"), m_maxGapLessWaitingMs},
        {QStringLiteral("tick_ms"), kTickMs},
        {QStringLiteral("ticks"), m_ticks},
        {QStringLiteral("paints"), m_paints},
        {QStringLiteral("paints_hidden"), m_paintsHidden},
        {QStringLiteral("paints_by_page"), byPage},
        {QStringLiteral("paints_by_widget"), byWidget},
        {QStringLiteral("chart_scene_changes"), m_sceneChanges},
        {QStringLiteral("chart_scene_changes_hidden"), m_sceneChangesHidden},
        {QStringLiteral("last_hidden_chart_change_ms"), m_lastHiddenSceneChangeMs},
        {QStringLiteral("lifetime_ms"), sinceStartMs()},
    };
    QFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(QJsonDocument(report).toJson()) < 0)
        qCWarning(lcGui) << "bench probe: cannot write the report:" << file.errorString();
}

bool BenchProbe::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Paint && watched->isWidgetType()
        && static_cast<QWidget *>(watched)->window() == &m_window) {
        ++m_paints;
        if (!m_window.isVisible())
            ++m_paintsHidden;
        // Which page drew: the nearest ancestor named "...Page", else the window's frame.
        QString where = QStringLiteral("window");
        for (QObject *o = watched; o && o != &m_window; o = o->parent()) {
            if (o->objectName().endsWith(QLatin1String("Page"))) {
                where = o->objectName();
                break;
            }
        }
        ++m_paintsByPage[where];
        const QString name = watched->objectName().isEmpty() ? QString::fromLatin1(watched->metaObject()->className())
                                                             : watched->objectName();
        ++m_paintsByWidget[where + u'/' + name];
        if (!m_paintSeen) {
            m_paintSeen = true;
            // Runs once this turn (painting every widget, then the flush) has ended.
            QTimer::singleShot(0, this, &BenchProbe::onFirstPaintFlushed);
        }
    }
    return false;
}

void BenchProbe::onTick()
{
    ++m_ticks;
    const qint64 now = m_clock.nsecsElapsed();
    const auto [onCore, waiting] = schedStat(m_schedStat);
    const qint64 last = std::exchange(m_lastTickNs, now);
    const qint64 lastOnCore = std::exchange(m_lastOnCoreNs, onCore);
    const qint64 lastWaiting = std::exchange(m_lastWaitingNs, waiting);
    if (last < 0 || (m_firstPaintMs < 0 && m_window.isVisible()))
        return; // a shown window's start-up belongs to first_paint_ms
    const Gap gap {double(now - last) / 1e6, double(onCore - lastOnCore) / 1e6, double(waiting - lastWaiting) / 1e6,
                   sinceStartMs()};
    m_maxGapLessWaitingMs = std::max(m_maxGapLessWaitingMs, gap.ms - gap.waitingMs);
    if (m_worst.size() == kWorstKept && gap.ms <= m_worst.last().ms)
        return;
    const auto at
        = std::upper_bound(m_worst.begin(), m_worst.end(), gap, [](const Gap &a, const Gap &b) { return a.ms > b.ms; });
    m_worst.insert(at, gap);
    if (m_worst.size() > kWorstKept)
        m_worst.removeLast();
}

void BenchProbe::onFirstPaintFlushed()
{
    m_firstPaintMs = sinceStartMs();
}

double BenchProbe::sinceStartMs() const
{
    return m_startOffsetMs + double(m_clock.nsecsElapsed()) / 1e6;
}

} // namespace sy::gui
