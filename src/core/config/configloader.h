// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include "common/result.h"
#include "config.h"

namespace sy::config {

// Reads and validates the JSON config. A config that fails validation is refused whole,
// with a message naming the field; nothing is partially applied.
class ConfigLoader
{
public:
    static Result<Config> fromJson(const QByteArray &json);
    static Result<Config> fromFile(const QString &path);
};

} // namespace sy::config
