#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# Saves each page of the window as PNG, light and dark, into docs/screenshots/ (or $1):
# what a new user sees first. A data dir is filled by a real `serve` run against the mock
# upstream (three clients, three providers and a dead one, several models, streams, some
# errors); then the app starts on it under Xvfb, more traffic flows for a while so the
# live charts have minutes to show, and `switchyard --screenshot` grabs the pages. Last,
# dashboard-empty-light.png: the first run (a new data dir, no client key, no traffic).
#   SCREENSHOT_TRAFFIC_SECONDS  how long the app sees traffic before the shots (default 150)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-docs/screenshots}")
seconds=${SCREENSHOT_TRAFFIC_SECONDS:-150}

if ! command -v xvfb-run >/dev/null || ! command -v xauth >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y -qq --no-install-recommends xvfb xauth curl >/dev/null
fi
scripts/deps.sh build
scripts/build.sh switchyard sy-mock-upstream
bin=$PWD/build/src/switchyard

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Waits for "listening on URL" in a log file and prints the URL.
listening() {
    for _ in $(seq 1 300); do
        if url=$(sed -n 's/^listening on //p' "$1" | head -n1) && [ -n "$url" ]; then
            echo "$url"
            return 0
        fi
        sleep 0.1
    done
    echo "screenshots: no 'listening on' in $1:" >&2
    cat "$1" >&2
    return 1
}

build/tests/support/sy-mock-upstream --stream-delay-ms 30 >"$work/mock.log" 2>&1 &
pids+=($!)
mock=$(listening "$work/mock.log")

data="$work/data"
mkdir -p "$data"
export SWITCHYARD_DEMO_PROVIDER_KEY=sk-demo
cat >"$data/config.json" <<JSON
{"listen": "127.0.0.1:0",
 "auth": {"require_client_key": true},
 "secret_store": "encrypted-file",
 "providers": [
   {"id": "openai", "kind": "openai", "base_url": "$mock/v1", "api_key_env": "SWITCHYARD_DEMO_PROVIDER_KEY"},
   {"id": "anthropic", "kind": "anthropic", "base_url": "$mock", "api_key_env": "SWITCHYARD_DEMO_PROVIDER_KEY"},
   {"id": "xai", "kind": "openai", "base_url": "$mock/v1", "api_key_env": "SWITCHYARD_DEMO_PROVIDER_KEY"},
   {"id": "local", "kind": "openai", "base_url": "http://127.0.0.1:9/v1", "api_key_env": "SWITCHYARD_DEMO_PROVIDER_KEY"}],
 "routes": [{"model": "fast", "strategy": "fallback",
             "targets": [{"provider": "openai", "model": "gpt-4o-mini"}, {"provider": "xai", "model": "grok-4.6"}]}]}
JSON
keys=()
for name in laptop ci-runner notebook; do
    keys+=("$("$bin" client-key create "$name" --data-dir "$data" 2>/dev/null)")
done

# One request of a mixed session: clients, providers and models in turn, a stream every
# third, a wrong key, a dead provider and an unknown model now and then.
request() {
    local base=$1 i=$2
    local key=${keys[$((i % 3))]} stream=false
    [ $((i % 3)) -eq 0 ] && stream=true
    [ $((i % 17)) -eq 5 ] && key=sy-not-a-valid-key
    local models=(openai/gpt-4o-mini fast xai/grok-4.6 openai/gpt-6.1-terra)
    local model=${models[$((i % 4))]}
    [ $((i % 23)) -eq 7 ] && model=local/llama-3.1-8b
    [ $((i % 29)) -eq 11 ] && model=no-such-model
    if [ $((i % 5)) -eq 1 ]; then
        local anthropic=(anthropic/claude-sonnet-4-5 anthropic/claude-opus-5)
        curl -s -o /dev/null "$base/v1/messages" -H "x-api-key: $key" -H 'anthropic-version: 2023-06-01' \
            -H 'content-type: application/json' \
            -d "{\"model\":\"${anthropic[$((i % 2))]}\",\"max_tokens\":64,\"stream\":$stream,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}" || true
    else
        curl -s -o /dev/null "$base/v1/chat/completions" -H "Authorization: Bearer $key" \
            -H 'content-type: application/json' \
            -d "{\"model\":\"$model\",\"stream\":$stream,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}" || true
    fi
}

# 1. History: a headless serve run earlier today.
"$bin" serve --data-dir "$data" >"$work/serve.log" 2>&1 &
serve=$!
pids+=($serve)
base=$(listening "$work/serve.log")
for i in $(seq 1 120); do request "$base" "$i"; done
kill -TERM "$serve"
wait "$serve" || true

# 2. The app on the same data dir, with live traffic until the shots.
mkdir -p "$out"
xvfb-run -a -s "-screen 0 1400x1000x24" env LANG=en_US.UTF-8 LC_ALL=en_US.UTF-8 \
    "$bin" --data-dir "$data" --screenshot "$out" --screenshot-after "$seconds" >"$work/app.log" 2>&1 &
app=$!
pids+=($app)
base=$(listening "$work/app.log")
end=$((SECONDS + seconds - 3))
i=0
while [ $SECONDS -lt $end ]; do
    i=$((i + 1))
    request "$base" "$i"
    # Busier in some minutes than others, so the charts have a shape.
    [ $(((SECONDS / 40) % 2)) -eq 0 ] && sleep 0.15 || sleep 0.6
done
wait "$app"
grep '^saved ' "$work/app.log" || { cat "$work/app.log" >&2; exit 1; }

# 3. The first run: a new data dir, no client key, no traffic (what the dashboard says then).
fresh="$work/fresh"
mkdir -p "$fresh/data" "$fresh/shots"
xvfb-run -a -s "-screen 0 1400x1000x24" env LANG=en_US.UTF-8 LC_ALL=en_US.UTF-8 \
    "$bin" --data-dir "$fresh/data" --screenshot "$fresh/shots" --screenshot-after 3 >"$work/fresh.log" 2>&1 \
    || { cat "$work/fresh.log" >&2; exit 1; }
cp "$fresh/shots/dashboard-light.png" "$out/dashboard-empty-light.png"
echo "saved $out/dashboard-empty-light.png"
