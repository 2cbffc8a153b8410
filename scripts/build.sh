#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# Configures (once) and builds into ./build. Incremental: fast when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
gui=ON
[ "${SWITCHYARD_GUI:-}" = OFF ] && gui=OFF
if [ ! -f build/build.ninja ]; then
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCHYARD_GUI=$gui "$@" >/dev/null
fi
cmake --build build --parallel "$(nproc)"
