// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QChartView>
#include <QColor>
#include <QDateTime>
#include <QList>

class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace sy::gui {

// A line chart of per-minute values for the last hour (one or more named series), as
// the dashboard shows them. It follows the application palette (light or dark, with
// series colours readable on both) and says so in words when there is nothing to draw.
class MinuteChart final : public QChartView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MinuteChart)

public:
    struct Series
    {
        QString name;
        QColor color;
    };

    explicit MinuteChart(QWidget *parent = nullptr);

    void setTitle(const QString &title);
    void setSeries(const QList<Series> &series);
    void setEmptyText(const QString &text); // shown over the chart while every value is zero
    void setValueFormat(const QString &format); // QValueAxis label format, e.g. "%d"
    // One list of values per series, one value per minute; the last one is the minute
    // that started at `lastMinute` (local time on the axis).
    void setValues(const QDateTime &lastMinute, const QList<QList<qreal>> &values);
    bool isEmpty() const { return m_empty; }
    int seriesCount() const { return int(m_lines.size()); }
    qreal total(int series) const; // the sum over the hour shown

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyPalette();

    QList<Series> m_series;
    QList<QLineSeries *> m_lines;
    QDateTimeAxis *m_timeAxis = nullptr;
    QValueAxis *m_valueAxis = nullptr;
    QLabel *m_emptyLabel = nullptr;
    bool m_empty = true;
    // What is drawn now: the same again redraws nothing (a quiet hour, each second).
    QDateTime m_lastMinute;
    QList<QList<qreal>> m_values;
};

} // namespace sy::gui
