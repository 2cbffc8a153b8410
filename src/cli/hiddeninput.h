// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QTextStream>

namespace sy::cli {

// Reads one secret line from `in`, trimmed. When `in` is a terminal, the prompt goes to
// `err` and the typed characters are not echoed; piped input is read as it comes, so
// `pass show openai | switchyard provider-key set openai` works.
QByteArray readSecretLine(QTextStream &in, QTextStream &err, const QString &prompt);

} // namespace sy::cli
