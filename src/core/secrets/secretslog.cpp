// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "secretslog.h"

Q_LOGGING_CATEGORY(lcSecrets, "switchyard.secrets", QtInfoMsg)
