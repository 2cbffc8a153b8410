// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

#include "providers/wireformat.h"

namespace sy::gateway {

class GatewayState;

// The GET /v1/models answer: routes by their name, provider models as "provider/model",
// in the format of the SDK that asked.
class ModelsList
{
public:
    static QByteArray json(const GatewayState &state, providers::WireFormat format);
};

} // namespace sy::gateway
