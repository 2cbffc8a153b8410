// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

#include "cli/commandregistry.h"

#ifdef SWITCHYARD_WITH_GUI
#include <QApplication>

#include "cli/signalwatcher.h"
#include "gui/benchprobe.h"
#include "gui/desktopapp.h"
#include "gui/mainwindow.h"
#include "gui/screenshotter.h"
#include "host/datalocation.h"
#endif

namespace {

// Options that still mean "the app" rather than a subcommand: --config/--data-dir (and
// the GUI's own, below), with their values, in either spelling.
bool onlyAppOptions(const QStringList &arguments)
{
    static const QStringList withValue {QStringLiteral("--config"), QStringLiteral("--data-dir"),
                                        QStringLiteral("--log-rules"), QStringLiteral("--screenshot"),
                                        QStringLiteral("--screenshot-after")};
    static const QStringList flags {QStringLiteral("--hidden")};
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        const QString name = argument.section(u'=', 0, 0);
        if (flags.contains(argument))
            continue;
        if (!withValue.contains(name))
            return false;
        if (!argument.contains(u'='))
            ++i; // the value
    }
    return true;
}

// Whether a window can be shown: a display server (or a Qt platform chosen explicitly,
// such as offscreen for tests). Elsewhere than Linux there always is one.
bool hasDisplay()
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
#else
    return true;
#endif
}

#ifdef SWITCHYARD_WITH_GUI
int runGui(int &argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("Switchyard"));
    QApplication::setDesktopFileName(QStringLiteral("switchyard"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Switchyard, the local AI API gateway: the window and the "
                                                    "gateway in one process. `switchyard help` lists the commands."));
    sy::host::DataLocation::addOptions(parser);
    const QCommandLineOption logRules(QStringLiteral("log-rules"), QStringLiteral("Logging filter rules."),
                                      QStringLiteral("RULES"));
    const QCommandLineOption hidden(QStringLiteral("hidden"), QStringLiteral("Start in the tray, without the window."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Save each page as PNG (light and dark) into DIR, then quit."),
                                        QStringLiteral("DIR"));
    const QCommandLineOption screenshotAfter(QStringLiteral("screenshot-after"),
                                             QStringLiteral("Seconds to wait before --screenshot (default 3)."),
                                             QStringLiteral("SECONDS"), QStringLiteral("3"));
    parser.addOptions({logRules, hidden, screenshot, screenshotAfter});
    parser.process(app);
    if (parser.isSet(logRules))
        QLoggingCategory::setFilterRules(parser.value(logRules).replace(u';', u'\n'));

    sy::gui::DesktopApp desktop(sy::host::DataLocation::fromParser(parser));
    // A session logging out sends SIGTERM: the same graceful stop as Quit.
    sy::cli::SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &sy::cli::SignalWatcher::terminationRequested, &desktop,
                     &sy::gui::DesktopApp::quit);
    QObject::connect(&desktop, &sy::gui::DesktopApp::finished, &app, &QCoreApplication::quit);

    std::unique_ptr<sy::gui::Screenshotter> shooter;
    if (parser.isSet(screenshot)) {
        desktop.window().resize(1280, 860);
        shooter = std::make_unique<sy::gui::Screenshotter>(desktop.window(), parser.value(screenshot));
        QObject::connect(shooter.get(), &sy::gui::Screenshotter::finished, &desktop, [&desktop, &shooter](bool ok) {
            for (const QString &path : shooter->saved())
                std::printf("saved %s\n", qPrintable(path));
            std::fflush(stdout);
            if (!ok)
                std::fprintf(stderr, "switchyard: some screenshots could not be saved\n");
            desktop.quit();
        });
        shooter->start(int(parser.value(screenshotAfter).toDouble() * 1000));
    }
    // A second launch on the same data dir: the first window came forward; this one ends (0).
    QObject::connect(&desktop, &sy::gui::DesktopApp::handedOver, &app, [&desktop](qint64 pid) {
        std::printf("switchyard is already running on %s (pid %lld): its window was brought forward\n",
                    qPrintable(desktop.host().location().dataDir), static_cast<long long>(pid));
        std::fflush(stdout);
    });
    QObject::connect(&desktop, &sy::gui::DesktopApp::modeChanged, &app, [&desktop](sy::gui::DesktopApp::Mode mode) {
        if (mode != sy::gui::DesktopApp::Mode::Attached)
            return;
        std::printf("attached to switchyard serve (pid %lld)\n", static_cast<long long>(desktop.attachedPid()));
        std::fflush(stdout);
    });
    // The same line as serve's, for scripts that need the address.
    QObject::connect(&desktop.host(), &sy::host::Host::started, &app, [](const QString &url) {
        std::printf("listening on %s\n", qPrintable(url));
        std::fflush(stdout);
    });
    // bench/gui's measuring seam: only with SWITCHYARD_BENCH_REPORT set (see benchprobe.h).
    const auto probe = sy::gui::BenchProbe::fromEnvironment(desktop.window());
    desktop.start(!parser.isSet(hidden));
    return app.exec();
}
#endif

} // namespace

// "switchyard COMMAND ..." runs a subcommand under QCoreApplication. Without a command
// (or with only --config/--data-dir), the desktop app starts where it is built and a
// display exists; otherwise the gateway serves headless.
int main(int argc, char *argv[])
{
    QCoreApplication::setOrganizationName(QStringLiteral("Switchyard"));
    QCoreApplication::setApplicationName(QStringLiteral("switchyard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHYARD_VERSION));

    QStringList rawArguments;
    for (int i = 1; i < argc; ++i)
        rawArguments << QString::fromLocal8Bit(argv[i]);
    const bool app = onlyAppOptions(rawArguments);
#ifdef SWITCHYARD_WITH_GUI
    if (app && hasDisplay())
        return runGui(argc, argv);
#endif

    QCoreApplication core(argc, argv);
    QStringList arguments = core.arguments().mid(1);
    QTextStream out(stdout);
    QTextStream err(stderr);
    QTextStream in(stdin);
    if (app) {
#ifdef SWITCHYARD_WITH_GUI
        err << "switchyard: no display (DISPLAY and WAYLAND_DISPLAY are unset), so no window: serving headless "
               "instead\n";
        err.flush();
#endif
        // The GUI's own options mean nothing to serve.
        QStringList kept;
        for (qsizetype i = 0; i < arguments.size(); ++i) {
            const QString name = arguments.at(i).section(u'=', 0, 0);
            if (name == u"--hidden")
                continue;
            if (name == u"--screenshot" || name == u"--screenshot-after") {
                if (!arguments.at(i).contains(u'='))
                    ++i;
                continue;
            }
            kept << arguments.at(i);
        }
        arguments = kept;
        arguments.prepend(QStringLiteral("serve"));
    } else if (!arguments.isEmpty() && arguments.first().startsWith(u"--") && arguments.first() != u"--help") {
        arguments.prepend(QStringLiteral("serve"));
    }
    return sy::cli::CommandRegistry::instance().run(arguments, out, err, in);
}
