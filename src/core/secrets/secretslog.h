// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

// Names of entries and stores only: never a secret, not even in part.
Q_DECLARE_LOGGING_CATEGORY(lcSecrets)
