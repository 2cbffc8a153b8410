// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "logging.h"

namespace sy::pricing {
Q_LOGGING_CATEGORY(lcPricing, "switchyard.pricing")
} // namespace sy::pricing
