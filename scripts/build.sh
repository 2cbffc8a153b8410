#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# Configures (once) and builds into ./build. Incremental: fast when nothing changed.
# Arguments name targets to build (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
gui=ON
[ "${SWITCHYARD_GUI:-}" = OFF ] && gui=OFF
if [ ! -f build/build.ninja ]; then
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCHYARD_GUI=$gui >/dev/null
fi
# CMake 3.25's AUTOMOC can miss QObject headers that arrive with a pull into an existing
# build tree; a stale autogen stamp is the cause, so drop stamps older than any header.
while IFS= read -r stamp; do
    if [ -n "$(find src tests bench -name '*.h' -newer "$stamp" -print -quit 2>/dev/null)" ]; then
        rm -f "$stamp"
    fi
done < <(find build -path '*_autogen/timestamp' 2>/dev/null)
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build build --parallel "$(nproc)" "${targets[@]}"
