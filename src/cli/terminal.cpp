// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "terminal.h"

#include <unistd.h>

#include <QFile>

namespace sy::cli {

bool isTerminal(const QTextStream &stream, int fd)
{
    const auto *file = qobject_cast<const QFile *>(stream.device());
    return file && file->handle() == fd && isatty(fd);
}

} // namespace sy::cli
