// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>

#include "config.h"

namespace sy::config {

// The config as JSON in the shape ConfigLoader reads, field by field from the model: what
// `config export` prints and `config import` saves. The model holds no secret: provider
// keys live in a SecretStore, and client keys appear only as SHA-256 hashes (of 256 random
// bits, so neither reversible nor usable to call the gateway).
class ConfigWriter
{
public:
    static QJsonObject toJson(const Config &config);
};

} // namespace sy::config
