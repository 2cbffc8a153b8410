// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <QString>

#include "command.h"

namespace sy::cli {

// The subcommands the binary knows. Commands register themselves with a static
// Registration in their own .cpp file, so adding one touches nothing else.
class CommandRegistry
{
public:
    using Factory = std::function<std::unique_ptr<Command>()>;

    static CommandRegistry &instance();

    void add(Factory factory);
    std::unique_ptr<Command> create(const QString &name) const;
    // Name and summary of every command, sorted by name.
    std::vector<std::pair<QString, QString>> list() const;

    // Runs "switchyard NAME ARGS..." and returns the exit code; prints usage on an unknown name.
    int run(const QStringList &arguments, QTextStream &out, QTextStream &err, QTextStream &in) const;

    struct Registration
    {
        explicit Registration(Factory factory) { CommandRegistry::instance().add(std::move(factory)); }
    };

private:
    std::vector<Factory> m_factories;
};

} // namespace sy::cli
