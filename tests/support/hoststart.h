// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

namespace sy::host {
class Host;
}

namespace sy::testsupport {

// Starts a host on the calling thread and waits (on the event loop, at most 10 s) for
// started(); false when it failed or did not answer.
bool startHost(host::Host &host);
// The port a started host listens on.
quint16 hostPort(const host::Host &host);

} // namespace sy::testsupport
