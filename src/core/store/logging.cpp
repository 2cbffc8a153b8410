// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "logging.h"

namespace sy::store {
Q_LOGGING_CATEGORY(lcStore, "switchyard.store")
} // namespace sy::store
