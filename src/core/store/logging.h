// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

namespace sy::store {
Q_DECLARE_LOGGING_CATEGORY(lcStore)
} // namespace sy::store
