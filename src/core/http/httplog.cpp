// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "httplog.h"

Q_LOGGING_CATEGORY(lcHttp, "switchyard.http", QtInfoMsg)
