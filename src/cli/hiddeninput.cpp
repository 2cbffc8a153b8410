// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "hiddeninput.h"

#include <termios.h>
#include <unistd.h>

#include <QFile>

namespace sy::cli {

namespace {

bool isTerminalStdin(QTextStream &in)
{
    const auto *file = qobject_cast<QFile *>(in.device());
    return file && file->handle() == STDIN_FILENO && isatty(STDIN_FILENO);
}

// Turns terminal echo off for its lifetime.
class EchoOff
{
public:
    EchoOff() : m_active(tcgetattr(STDIN_FILENO, &m_saved) == 0)
    {
        if (!m_active)
            return;
        termios quiet = m_saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    ~EchoOff()
    {
        if (m_active)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
    }
    EchoOff(const EchoOff &) = delete;
    EchoOff &operator=(const EchoOff &) = delete;

private:
    termios m_saved {};
    bool m_active;
};

} // namespace

QByteArray readSecretLine(QTextStream &in, QTextStream &err, const QString &prompt)
{
    if (!isTerminalStdin(in))
        return in.readLine().trimmed().toUtf8();
    err << prompt << Qt::flush;
    QString line;
    {
        EchoOff echoOff;
        line = in.readLine();
    }
    err << '\n' << Qt::flush;
    return line.trimmed().toUtf8();
}

} // namespace sy::cli
