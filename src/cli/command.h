// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>
#include <QTextStream>

namespace sy::cli {

// What a command reads and writes. Streams are injected so tests run commands
// in-process and read their output.
struct CommandContext
{
    QStringList arguments; // everything after the command name
    QTextStream &out;
    QTextStream &err;
    QTextStream &in;
};

// One subcommand of the switchyard binary (serve, export-usage, client-key, ...).
class Command
{
public:
    virtual ~Command() = default;
    virtual QString name() const = 0;
    virtual QString summary() const = 0;
    // Returns the process exit code. Runs inside a QCoreApplication; long-running commands
    // (serve) may run its event loop.
    virtual int run(CommandContext &context) = 0;
};

} // namespace sy::cli
