// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "stopreason.h"

namespace sy::translate {

StopReason StopReason::fromOpenAI(QByteArrayView finish, const JsonView &matched, bool toolCalled,
                                  const Translation &translation)
{
    if (toolCalled || finish == "tool_calls" || finish == "function_call")
        return {"tool_use", {}};
    if (finish == "length")
        return {"max_tokens", {}};
    if (finish == "content_filter")
        return {"refusal", {}};
    if (matched.isString()) {
        const QByteArray sequence = matched.utf8();
        if (translation.stopSequences.contains(sequence))
            return {"stop_sequence", sequence};
    }
    return {"end_turn", {}};
}

} // namespace sy::translate
