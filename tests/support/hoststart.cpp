// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "hoststart.h"

#include <QSignalSpy>
#include <QUrl>

#include "host/host.h"

namespace sy::testsupport {

bool startHost(host::Host &host)
{
    QSignalSpy started(&host, &host::Host::started);
    host.start();
    return started.wait(10000);
}

quint16 hostPort(const host::Host &host)
{
    return quint16(QUrl(host.url()).port());
}

} // namespace sy::testsupport
