// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QCoreApplication>
#include <QTextStream>

#include "cli/commandregistry.h"

// "switchyard COMMAND ..." runs a subcommand under QCoreApplication. Without a command,
// the GUI starts where it is built; a GUI-free build serves.
int main(int argc, char *argv[])
{
    QCoreApplication::setOrganizationName(QStringLiteral("Switchyard"));
    QCoreApplication::setApplicationName(QStringLiteral("switchyard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHYARD_VERSION));

    QCoreApplication app(argc, argv);
    QStringList arguments = app.arguments().mid(1);
    if (arguments.isEmpty() || (arguments.first().startsWith(u"--") && arguments.first() != u"--help"))
        arguments.prepend(QStringLiteral("serve"));

    QTextStream out(stdout);
    QTextStream err(stderr);
    QTextStream in(stdin);
    return sy::cli::CommandRegistry::instance().run(arguments, out, err, in);
}
