// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include "common/result.h"

namespace sy {

// Replaces `path` atomically with `content`, readable and writable by the owner only
// (0600), creating its folder. A reader sees the old file or the new one, never half.
Status writePrivateFile(const QString &path, const QByteArray &content);

} // namespace sy
