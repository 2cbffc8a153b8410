// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QTextStream>

namespace sy::cli {

// Whether `stream` is the process's stdin, stdout or stderr (`fd`) and that is a terminal:
// prompts, hidden input and progress lines are for people, not for pipes, files or tests.
bool isTerminal(const QTextStream &stream, int fd);

} // namespace sy::cli
