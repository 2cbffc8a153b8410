#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# Provider key stores, end to end through the real binary: how long `provider-key set`
# takes (process start included) in the keychain and in the encrypted file, and how much
# loading N stored keys adds to `serve`'s time to "listening". The keychain is a private
# gnome-keyring in a private D-Bus session, as in the tests.
# Usage: bench/secrets/run.sh [KEYS]   (default 20)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${SWITCHYARD_BENCH_INSIDE:-}" ]; then
    scripts/deps.sh test >/dev/null
    scripts/build.sh switchyard >/dev/null
    SWITCHYARD_BENCH_INSIDE=1 exec dbus-run-session -- scripts/with-keyring.sh "$0" "$@" 2> >(grep -v 'fd limit' >&2)
fi
keys=${1:-20}
binary=$PWD/build/src/switchyard
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

# Milliseconds from start to "listening", median of 5.
time_to_listen() {
    local dir=$1 samples=()
    for _ in 1 2 3 4 5; do
        local out="$dir/serve.out" start end pid
        : > "$out"
        start=$(now)
        "$binary" serve --data-dir "$dir" > "$out" 2>&1 &
        pid=$!
        until grep -q listening "$out"; do sleep 0.002; done
        end=$(now)
        kill "$pid"; wait "$pid" 2>/dev/null || true
        samples+=("$(ms "$start" "$end")")
    done
    printf '%s\n' "${samples[@]}" | sort -n | sed -n 3p
}

printf '| store | provider-key set (ms, median of %d) | serve to listening, no keys (ms) | with %d keys (ms) |\n|---|---|---|---|\n' "$keys" "$keys"
for store in keychain encrypted-file; do
    dir=$(mktemp -d)
    echo "{\"listen\": \"127.0.0.1:0\", \"secret_store\": \"$store\", \"providers\": [{\"id\": \"openai\"}]}" > "$dir/config.json"
    empty=$(time_to_listen "$dir")
    samples=()
    for i in $(seq 1 "$keys"); do
        start=$(now)
        echo "sk-bench-$store-key-$(printf '%08d' "$i")" | "$binary" provider-key set openai --label "k$i" --data-dir "$dir" > /dev/null
        samples+=("$(ms "$start" "$(now)")")
    done
    set_ms=$(printf '%s\n' "${samples[@]}" | sort -n | sed -n "$(( (keys + 1) / 2 ))p")
    loaded=$(time_to_listen "$dir")
    printf '| %s | %s | %s | %s |\n' "$store" "$set_ms" "$empty" "$loaded"
    "$binary" delete-all-data --yes --data-dir "$dir" > /dev/null
done
