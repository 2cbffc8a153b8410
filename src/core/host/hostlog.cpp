// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "hostlog.h"

Q_LOGGING_CATEGORY(lcHost, "switchyard.host", QtInfoMsg)
