// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "hiddeninput.h"

#include <termios.h>
#include <unistd.h>

#include <QString>

#include "terminal.h"

namespace sy::cli {

namespace {

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
    if (!isTerminal(in, STDIN_FILENO))
        return in.readLine().trimmed().toUtf8();
    QString line;
    {
        // Echo goes off before the prompt shows: a key typed (or pasted) the moment the
        // prompt appears must not be echoed, nor dropped by the flush of the switch.
        EchoOff echoOff;
        err << prompt << Qt::flush;
        line = in.readLine();
    }
    err << '\n' << Qt::flush;
    return line.trimmed().toUtf8();
}

} // namespace sy::cli
