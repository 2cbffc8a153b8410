// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

namespace sy::pricing {
Q_DECLARE_LOGGING_CATEGORY(lcPricing)
} // namespace sy::pricing
