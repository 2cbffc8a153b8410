// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QString>

#include "common/result.h"

namespace sy {

// Replaces `path` atomically with `content`, readable and writable by the owner only
// (0600), creating its folder. A reader sees the old file or the new one, never half.
Status writePrivateFile(const QString &path, const QByteArray &content);

// The JSON array in `path` (the key files' shape); a missing file is an empty array, an
// unreadable or damaged one an error naming the file.
Result<QJsonArray> readJsonArrayFile(const QString &path);

} // namespace sy
