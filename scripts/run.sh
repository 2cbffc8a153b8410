#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# Builds and starts Switchyard: the GUI where there is a display, `serve` where there is
# none. Extra arguments go to switchyard (e.g. --config FILE --data-dir DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
scripts/build.sh switchyard
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && ./build/src/switchyard --help 2>/dev/null | grep -q '^  gui '; then
    exec ./build/src/switchyard gui "$@"
fi
exec ./build/src/switchyard serve "$@"
