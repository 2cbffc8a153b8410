#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# The live figures' cost on gateway threads, and how long `switchyard status` takes.
#   bench/live/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD_DIR:-build}
cmake --build "$build" --parallel 2 --target bench_liverecord bench_statusserver switchyard >/dev/null
"$build/bench/live/bench_liverecord" "${1:-5}" 2

dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
"$build/bench/live/bench_statusserver" "$dir" >"$dir/ready" &
server=$!
for _ in $(seq 100); do grep -q ready "$dir/ready" 2>/dev/null && break; sleep 0.05; done
status="$build/src/switchyard status --data-dir $dir"
none="$build/src/switchyard status --data-dir $dir/none"
if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 5 --runs 200 "$status" "$status --json"
    hyperfine -N --warmup 5 --runs 200 -i "$none"
else
    for cmd in "$status" "$status --json"; do
        start=$(date +%s%N); for _ in $(seq 200); do $cmd >/dev/null; done; end=$(date +%s%N)
        echo "$cmd: $(( (end - start) / 200 / 1000 )) us per run (mean of 200)"
    done
fi
