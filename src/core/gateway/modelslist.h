// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

#include "modelcatalog.h"
#include "providers/wireformat.h"

namespace sy::gateway {

class GatewayState;

// The GET /v1/models answer: routes by their name, then each provider's models as
// "provider/model" (those its config names, else those it lists itself: ModelCatalog), in
// the format of the SDK that asked.
class ModelsList
{
public:
    static QByteArray json(const GatewayState &state, const ModelCatalog::Listing &discovered,
                           providers::WireFormat format);
};

} // namespace sy::gateway
