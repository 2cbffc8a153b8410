// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "gatewaylog.h"

Q_LOGGING_CATEGORY(lcGateway, "switchyard.gateway", QtInfoMsg)
