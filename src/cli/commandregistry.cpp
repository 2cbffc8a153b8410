// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "commandregistry.h"

#include <algorithm>

namespace sy::cli {

CommandRegistry &CommandRegistry::instance()
{
    static CommandRegistry registry;
    return registry;
}

void CommandRegistry::add(Factory factory)
{
    m_factories.push_back(std::move(factory));
}

std::unique_ptr<Command> CommandRegistry::create(const QString &name) const
{
    for (const Factory &factory : m_factories) {
        auto command = factory();
        if (command->name() == name)
            return command;
    }
    return nullptr;
}

std::vector<std::pair<QString, QString>> CommandRegistry::list() const
{
    std::vector<std::pair<QString, QString>> entries;
    for (const Factory &factory : m_factories) {
        const auto command = factory();
        entries.emplace_back(command->name(), command->summary());
    }
    std::sort(entries.begin(), entries.end());
    return entries;
}

int CommandRegistry::run(const QStringList &arguments, QTextStream &out, QTextStream &err, QTextStream &in) const
{
    const QString name = arguments.value(0);
    auto command = create(name);
    if (!command) {
        if (!name.isEmpty() && name != u"help" && name != u"--help" && name != u"-h")
            err << "switchyard: unknown command '" << name << "'\n\n";
        QTextStream &usage = (name.isEmpty() || name.startsWith(u'-') || name == u"help") ? out : err;
        usage << "usage: switchyard [COMMAND] [--config FILE] [--data-dir DIR] ...\n\ncommands:\n";
        for (const auto &[commandName, summary] : list())
            usage << "  " << commandName.leftJustified(18) << summary << '\n';
        usage << "\nWithout a command, the window opens with the gateway inside where Switchyard was built\n"
                 "with it and a display exists; otherwise it serves headless. The window's own options:\n"
                 "--hidden (start in the tray), --screenshot DIR [--screenshot-after SECONDS].\n";
        usage.flush();
        return command || name.isEmpty() || name == u"help" || name.startsWith(u'-') ? 0 : 2;
    }
    CommandContext context {arguments.mid(1), out, err, in};
    const int code = command->run(context);
    out.flush();
    err.flush();
    return code;
}

} // namespace sy::cli
