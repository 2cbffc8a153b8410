// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>

#include "config.h"

namespace sy::config {

// The config as JSON in the shape ConfigLoader reads, field by field from the model: what
// `config export` prints and `config import` saves. The model holds no secret (provider
// keys live in a SecretStore), and client key hashes stay out too: they belong to
// clientkeys.json, not to a file meant to be shared.
class ConfigWriter
{
public:
    static QJsonObject toJson(const Config &config);
};

} // namespace sy::config
