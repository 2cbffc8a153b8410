// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QStringList>
#include <QTextStream>

#include "cli/commandregistry.h"

namespace sy::testsupport {

// One run of `switchyard ARGS...`, in-process, with its exit code and output.
struct CommandRun
{
    int code = -1;
    QByteArray out;
    QByteArray err;
};

inline CommandRun runCommand(const QStringList &arguments, QByteArray input = {})
{
    CommandRun result;
    {
        QTextStream out(&result.out);
        QTextStream err(&result.err);
        QTextStream in(&input);
        result.code = cli::CommandRegistry::instance().run(arguments, out, err, in);
    }
    return result;
}

} // namespace sy::testsupport
