// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "translatelog.h"

Q_LOGGING_CATEGORY(lcTranslate, "switchyard.translate", QtInfoMsg)
