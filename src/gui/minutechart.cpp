// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "minutechart.h"

#include <cmath>

#include <QChart>
#include <QDateTimeAxis>
#include <QEvent>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

namespace sy::gui {

namespace {
bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}
} // namespace

MinuteChart::MinuteChart(QWidget *parent) : QChartView(parent)
{
    auto *chart = new QChart;
    chart->setMargins(QMargins(2, 0, 2, 0));
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setAnimationOptions(QChart::NoAnimation); // redrawn every second: animation would be noise
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(230);

    m_timeAxis = new QDateTimeAxis(chart);
    m_timeAxis->setFormat(QStringLiteral("HH:mm"));
    m_timeAxis->setTickCount(7);
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_valueAxis = new QValueAxis(chart);
    m_valueAxis->setLabelFormat(QStringLiteral("%d"));
    m_valueAxis->setRange(0, 1);
    m_valueAxis->setTickCount(5);
    chart->addAxis(m_valueAxis, Qt::AlignLeft);

    m_emptyLabel = new QLabel(this);
    m_emptyLabel->setObjectName(QStringLiteral("emptyChartLabel"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_emptyLabel->hide();
    applyPalette();
}

void MinuteChart::setTitle(const QString &title)
{
    chart()->setTitle(title);
}

void MinuteChart::setSeries(const QList<Series> &series)
{
    for (QLineSeries *line : std::as_const(m_lines)) {
        chart()->removeSeries(line);
        delete line;
    }
    m_lines.clear();
    m_values.clear();
    m_series = series;
    for (const Series &s : series) {
        auto *line = new QLineSeries(chart());
        line->setName(s.name);
        chart()->addSeries(line);
        line->attachAxis(m_timeAxis);
        line->attachAxis(m_valueAxis);
        m_lines.append(line);
    }
    applyPalette();
}

void MinuteChart::setEmptyText(const QString &text)
{
    m_emptyLabel->setText(text);
}

void MinuteChart::setValueFormat(const QString &format)
{
    m_valueAxis->setLabelFormat(format);
}

void MinuteChart::setValues(const QDateTime &lastMinute, const QList<QList<qreal>> &values)
{
    if (lastMinute == m_lastMinute && values == m_values)
        return;
    m_lastMinute = lastMinute;
    m_values = values;
    qreal top = 0;
    int points = 0;
    for (int s = 0; s < m_lines.size() && s < values.size(); ++s) {
        const QList<qreal> &v = values.at(s);
        points = qMax(points, int(v.size()));
        QList<QPointF> line;
        line.reserve(v.size());
        const QDateTime first = lastMinute.addSecs(-60 * (v.size() - 1));
        for (int i = 0; i < v.size(); ++i) {
            line.append(QPointF(qreal(first.addSecs(60 * i).toMSecsSinceEpoch()), v.at(i)));
            top = qMax(top, v.at(i));
        }
        m_lines.at(s)->replace(line); // one repaint for the whole series
    }
    // A whole number of minutes between the ticks: an hour's span with 7 ticks is 10 minutes apart.
    const int span = (m_timeAxis->tickCount() - 1)
        * qMax(1, (points + m_timeAxis->tickCount() - 3) / (m_timeAxis->tickCount() - 1));
    m_timeAxis->setRange(lastMinute.addSecs(-60 * span).toLocalTime(), lastMinute.toLocalTime());
    // Whole-number steps for small counts; a little headroom above the highest point.
    const qreal ceiling = top <= 4 ? 4 : top * 1.1;
    m_valueAxis->setRange(0, ceiling);
    if (top > 4)
        m_valueAxis->applyNiceNumbers();
    m_empty = top <= 0;
    m_emptyLabel->setVisible(m_empty && !m_emptyLabel->text().isEmpty());
}

qreal MinuteChart::total(int series) const
{
    qreal sum = 0;
    if (const QLineSeries *line = m_lines.value(series)) {
        for (const QPointF &point : line->points())
            sum += point.y();
    }
    return sum;
}

void MinuteChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QChartView::changeEvent(event);
}

void MinuteChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    // Below the title and legend, over the plot area.
    m_emptyLabel->setGeometry(rect().adjusted(40, 60, -10, -30));
}

void MinuteChart::applyPalette()
{
    const QPalette p = palette();
    const bool dark = isDark(p);
    chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    // The theme's own background is a gradient that clashes with the window: use the palette.
    chart()->setBackgroundBrush(p.color(QPalette::Base));
    chart()->setBackgroundRoundness(0);
    setBackgroundBrush(p.color(QPalette::Window));
    const QColor text = p.color(QPalette::Text);
    QColor grid = text;
    grid.setAlpha(dark ? 60 : 40);
    chart()->setTitleBrush(text);
    chart()->legend()->setLabelColor(text);
    for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(m_timeAxis), static_cast<QAbstractAxis *>(m_valueAxis)}) {
        axis->setLabelsColor(text);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
    }
    for (int i = 0; i < m_lines.size(); ++i) {
        QColor color = m_series.at(i).color;
        if (dark) // the same hue, lighter, so thin lines stand out on a dark base
            color = color.lighter(135);
        QPen pen(color);
        pen.setWidthF(2.0);
        m_lines.at(i)->setPen(pen);
    }
    QPalette labelPalette = m_emptyLabel->palette();
    QColor muted = text;
    muted.setAlpha(170);
    labelPalette.setColor(QPalette::WindowText, muted);
    m_emptyLabel->setPalette(labelPalette);
}

} // namespace sy::gui
