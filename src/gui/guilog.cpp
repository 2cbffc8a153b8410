// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "guilog.h"

Q_LOGGING_CATEGORY(lcGui, "switchyard.gui", QtInfoMsg)
