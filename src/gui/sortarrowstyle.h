// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QProxyStyle>

namespace sy::gui {

// A table header's style whose sort arrow points the way the values go: up for ascending,
// down for descending (newest first). Qt's Fusion on Linux draws them the other way round,
// which read as "oldest first" on a list whose newest row is on top.
class SortArrowStyle final : public QProxyStyle
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SortArrowStyle)

public:
    SortArrowStyle() = default;

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget = nullptr) const override;
};

} // namespace sy::gui
