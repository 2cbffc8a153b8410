// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "upstreamlog.h"

Q_LOGGING_CATEGORY(lcUpstream, "switchyard.upstream", QtInfoMsg)
