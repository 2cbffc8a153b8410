// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "logging.h"

Q_LOGGING_CATEGORY(lcControl, "switchyard.control", QtInfoMsg)
