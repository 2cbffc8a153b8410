// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

class QWidget;

namespace sy::gui {

// The measuring seam of bench/gui (issue 13, "never blocks, never idles hot"). Exists only
// when SWITCHYARD_BENCH_REPORT names a file; unset, nothing is created and nothing costs.
// It watches the GUI thread and the main window, and writes one JSON object to that file
// when destroyed (at exit):
//   first_paint_ms     process start (/proc/self/stat) to the end of the event loop turn
//                      that delivered the window's first paint (drawn and flushed); -1: none
//   max_gap_ms         the longest interval between two ticks of a 10 ms precise timer
//                      after the first paint (from the start with a hidden window): how
//                      long the loop went without a turn (an upper bound of the longest
//                      busy stretch; at most 10 ms above it)
//   worst_gaps         the five longest, with when they ended (ms since process start),
//                      how much of each the thread ran and how much it waited for a core
//                      (/proc/thread-self/schedstat): on a shared machine, waiting for a
//                      core is the machine's doing, running and the rest the app's
//   max_gap_less_waiting_ms   the longest interval less its wait for a core
//   ticks              timer turns seen
//   paints, paints_hidden   paint events in the window, and those while it was hidden
//   paints_by_page     paint events by page (the nearest ancestor named "...Page")
//   chart_scene_changes, chart_scene_changes_hidden   changes of the charts' graphics
//                      scenes (every redraw of a chart, visible or not), and those while
//                      the window was hidden: a hidden window should redraw no chart
//   last_hidden_chart_change_ms   when the last of those was (building the charts at
//                      start-up changes their scenes once)
// The timer wakes the thread 100 times a second: measure idle CPU without the probe.
class BenchProbe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BenchProbe)

public:
    static constexpr int kTickMs = 10;

    // nullptr unless SWITCHYARD_BENCH_REPORT is set. Watches `window`, which must outlive it.
    static std::unique_ptr<BenchProbe> fromEnvironment(QWidget &window);
    ~BenchProbe() override; // writes the report

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Gap
    {
        double ms = 0;
        double onCoreMs = 0; // the thread ran
        double waitingMs = 0; // the thread could have run but had no core (a busy machine)
        double endedAtMs = 0;
    };

    BenchProbe(QString path, QWidget &window);
    void onTick();
    void onFirstPaintFlushed();
    double sinceStartMs() const;

    QString m_path;
    QWidget &m_window;
    QTimer m_tick;
    QElapsedTimer m_clock; // since the probe started
    double m_startOffsetMs = 0; // process start to the probe's start
    qint64 m_lastTickNs = -1;
    int m_schedStat = -1; // /proc/thread-self/schedstat of the GUI thread
    qint64 m_lastOnCoreNs = 0;
    qint64 m_lastWaitingNs = 0;
    double m_maxGapLessWaitingMs = 0;
    QList<Gap> m_worst; // longest first, at most five
    qint64 m_ticks = 0;
    qint64 m_paints = 0;
    qint64 m_paintsHidden = 0;
    QHash<QString, qint64> m_paintsByPage;
    QHash<QString, qint64> m_paintsByWidget; // "page/objectName or class": what to look at first
    qint64 m_sceneChanges = 0;
    qint64 m_sceneChangesHidden = 0;
    double m_lastHiddenSceneChangeMs = -1;
    double m_firstPaintMs = -1;
    bool m_paintSeen = false;
};

} // namespace sy::gui
