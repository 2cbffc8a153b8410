// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>

#include "translate/toolnamemap.h"

namespace sy::translate {

// What the response side of one translated request needs to know about its request:
// made by the request mapper, shared (read-only) by every attempt of the call.
struct Translation
{
    QByteArray clientModel; // the model the caller asked for, as its responses name it
    ToolNameMap toolNames; // shortened tool names, restored in the reply
    QList<QByteArray> stopSequences; // the caller's, to name the one that matched
    qint64 estimatedInputTokens = 1; // message_start's count until the provider's arrives; never 0
    bool stream = false;
};

} // namespace sy::translate
