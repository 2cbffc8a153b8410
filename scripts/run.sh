#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# Builds and starts Switchyard: the GUI where there is a display, `serve` where there is
# none. Extra arguments go to switchyard (e.g. --config FILE --data-dir DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
scripts/build.sh switchyard
# Without a subcommand, switchyard opens the window (the gateway inside) where it was built
# with the GUI; a GUI-free build serves.
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec ./build/src/switchyard "$@"
fi
exec ./build/src/switchyard serve "$@"
