#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# The gateway benchmark: the same mock upstream reached directly, through nginx (the floor
# for proxy overhead), through the Portkey AI gateway and through Switchyard, measured in
# one run, side by side. Everything runs on 127.0.0.1 and stops when the script ends.
#   bench/gateway/run.sh [SECONDS]     (default 10 s per load test)
# Prints a markdown table and writes it to bench/gateway/RESULTS.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-10}
cd "$root"

scripts/deps.sh build
missing=()
for package in nginx-light wrk; do
    [ "$(dpkg-query -W -f='${db:Status-Status}' $package 2>/dev/null || true)" = installed ] || missing+=($package)
done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
(cd "$here" && { [ -d node_modules/@portkey-ai/gateway ] || npm ci --silent --no-audit --no-fund; })
scripts/build.sh switchyard sy-mock-upstream bench_streamprobe >/dev/null

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Starts a command in the background and waits for "listening on ...:PORT"; sets PORT, PID.
start_listening() {
    local log=$1; shift
    "$@" >"$log" 2>&1 &
    PID=$!
    pids+=($PID)
    for _ in $(seq 1 100); do
        PORT=$(grep -o 'listening on https\?://[0-9.]*:[0-9]*' "$log" | grep -o '[0-9]*$' | head -1 || true)
        [ -n "$PORT" ] && return 0
        sleep 0.1
    done
    echo "did not start: $*" >&2; cat "$log" >&2; exit 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }

start_listening "$work/mock.log" build/tests/support/sy-mock-upstream
mock=$PORT; mock_pid=$PID
start_listening "$work/mock-stream.log" build/tests/support/sy-mock-upstream --stream-delay-ms 20
mock_stream=$PORT

# nginx: proxy_pass with upstream keepalive, unbuffered so SSE passes through at once.
nginx_port=$(free_port); nginx_stream_port=$(free_port)
mkdir -p "$work/nginx"
user_line=""; [ "$(id -u)" -eq 0 ] && user_line="user root;"
cat > "$work/nginx/nginx.conf" <<CONF
$user_line
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    upstream mock { server 127.0.0.1:$mock; keepalive 64; }
    upstream mock_stream { server 127.0.0.1:$mock_stream; keepalive 64; }
    server {
        listen 127.0.0.1:$nginx_port;
        location / { proxy_pass http://mock; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
    }
    server {
        listen 127.0.0.1:$nginx_stream_port;
        location / { proxy_pass http://mock_stream; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
    }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!; pids+=($nginx_pid)
wait_port $nginx_port

portkey_port=$(free_port)
node "$here/node_modules/@portkey-ai/gateway/build/start-server.js" --port=$portkey_port >"$work/portkey.log" 2>&1 &
portkey_pid=$!; pids+=($portkey_pid)
wait_port $portkey_port

cat > "$work/switchyard.json" <<CONF
{"listen": "127.0.0.1:0", "auth": {"require_client_key": false},
 "providers": [{"id": "fast", "kind": "openai-compatible", "base_url": "http://127.0.0.1:$mock/v1"},
               {"id": "stream", "kind": "openai-compatible", "base_url": "http://127.0.0.1:$mock_stream/v1"}]}
CONF
start_listening "$work/switchyard.log" build/src/switchyard serve --config "$work/switchyard.json" --data-dir "$work/data"
switchyard=$PORT; switchyard_pid=$PID

# The same request everywhere; Portkey is told where the upstream is by headers.
cat > "$work/post.lua" <<'LUA'
local model = os.getenv("BENCH_MODEL") or "gpt-4o-mini"
wrk.method = "POST"
wrk.body = '{"model":"' .. model .. '","messages":[{"role":"user","content":"Say hello in one word."}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
local host = os.getenv("BENCH_CUSTOM_HOST")
if host then
  wrk.headers["x-portkey-provider"] = "openai"
  wrk.headers["x-portkey-custom-host"] = host
end
LUA

# CPU ticks (utime + stime) of a process and its children threads/processes.
ticks() {
    local total=0 pid
    for pid in "$@" $(for p in "$@"; do pgrep -P "$p" || true; done); do
        [ -r /proc/$pid/stat ] && total=$((total + $(awk '{print $14 + $15}' /proc/$pid/stat)))
    done
    echo $total
}
hz=$(getconf CLK_TCK)

declare -A cpu_us rps p50 p99 first merged
measure() { # name port model custom_host stream_port stream_model pids...
    local name=$1 port=$2 model=$3 host=$4 sport=$5 smodel=$6; shift 6
    local before after out requests
    export BENCH_MODEL=$model
    if [ -n "$host" ]; then export BENCH_CUSTOM_HOST=$host; else unset BENCH_CUSTOM_HOST; fi
    wrk -t2 -c32 -d2s -s "$work/post.lua" "http://127.0.0.1:$port/v1/chat/completions" >/dev/null # warm-up
    before=$(ticks "$@")
    out=$(wrk -t2 -c32 -d${seconds}s -s "$work/post.lua" "http://127.0.0.1:$port/v1/chat/completions")
    after=$(ticks "$@")
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    rps[$name]=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
    if [ "$#" -gt 0 ]; then
        cpu_us[$name]=$(python3 -c "print(round(($after - $before) * 1e6 / $hz / $requests, 1))")
    else
        cpu_us[$name]="—"
    fi
    out=$(wrk -t1 -c1 -d${seconds}s --latency -s "$work/post.lua" "http://127.0.0.1:$port/v1/chat/completions")
    p50[$name]=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99[$name]=$(echo "$out" | awk '$1 == "99%" {print $2}')
    local headers=("Authorization: Bearer sk-bench")
    [ -n "$host" ] && headers+=("x-portkey-provider: openai" "x-portkey-custom-host: ${host/$mock/$mock_stream}")
    out=$(build/bench/gateway/bench_streamprobe "$sport" 200 "$smodel" "${headers[@]}" || true)
    if echo "$out" | grep -q first_event_p50_us; then
        first[$name]=$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(round(d["first_event_p50_us"]))')
        merged[$name]=$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%d of %d" % (d["merged_reads"], d["events"]))')
    else
        first[$name]="fails"; merged[$name]="fails" # Portkey 1.15.2 streaming throws on Node 20 (see its log)
    fi
}

nginx_pids=$(cat "$work/nginx/nginx.pid")
measure direct "$mock" gpt-4o-mini "" "$mock_stream" gpt-4o-mini
measure nginx "$nginx_port" gpt-4o-mini "" "$nginx_stream_port" gpt-4o-mini $nginx_pids
measure portkey "$portkey_port" gpt-4o-mini "http://127.0.0.1:$mock/v1" "$portkey_port" gpt-4o-mini $portkey_pid
measure switchyard "$switchyard" fast/gpt-4o-mini "" "$switchyard" stream/gpt-4o-mini $switchyard_pid
rss_kib=$(awk '/VmHWM/ {print $2}' /proc/$switchyard_pid/status)

to_ms() { python3 -c "
v='$1'
print(float(v[:-2])/1000 if v.endswith('us') else float(v[:-2]) if v.endswith('ms') else float(v[:-1])*1000)"; }
added_p50=$(python3 -c "print(round($(to_ms "${p50[switchyard]}") - $(to_ms "${p50[direct]}"), 3))")
added_first=$(python3 -c "print(round((${first[switchyard]} - ${first[direct]}) / 1000, 3))")
ratio=$(python3 -c "print(round(${cpu_us[switchyard]} / ${cpu_us[nginx]}, 1))")
portkey_ratio=$(python3 -c "print(round(${cpu_us[portkey]} / ${cpu_us[nginx]}, 1))")
verdict() { python3 -c "print('PASS' if $1 else 'FAIL')"; }

report=$(cat <<TABLE
| | direct | nginx | Portkey | Switchyard |
|---|---|---|---|---|
| proxy CPU per request (wrk -c32, µs) | — | ${cpu_us[nginx]} | ${cpu_us[portkey]} (${portkey_ratio}× nginx) | ${cpu_us[switchyard]} (${ratio}× nginx) |
| throughput (wrk -c32, req/s) | ${rps[direct]} | ${rps[nginx]} | ${rps[portkey]} | ${rps[switchyard]} |
| latency p50 / p99 at one connection | ${p50[direct]} / ${p99[direct]} | ${p50[nginx]} / ${p99[nginx]} | ${p50[portkey]} / ${p99[portkey]} | ${p50[switchyard]} / ${p99[switchyard]} |
| first SSE event, p50 (µs) | ${first[direct]} | ${first[nginx]} | ${first[portkey]} | ${first[switchyard]} |
| reads holding more than one event | ${merged[direct]} | ${merged[nginx]} | ${merged[portkey]} | ${merged[switchyard]} |

| goal | measured | |
|---|---|---|
| CPU per request ≤ 3× nginx | ${ratio}× | $(verdict "$ratio <= 3") |
| p50 latency added at one connection ≤ 0.1 ms | ${added_p50} ms | $(verdict "$added_p50 <= 0.1") |
| first streamed event ≤ 0.5 ms later than direct | ${added_first} ms | $(verdict "$added_first <= 0.5") |
| no two events merged into one read | ${merged[switchyard]} | $(verdict "'${merged[switchyard]}'.startswith('0 of')") |
| peak RSS under load ≤ 40 MiB | $((rss_kib / 1024)) MiB | $(verdict "$rss_kib <= 40 * 1024") |
TABLE
)
echo "$report"
{
    echo "# Gateway benchmark results"
    echo
    echo "Command: \`bench/gateway/run.sh $seconds\` on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
    echo "$(date -u +%Y-%m-%d). wrk, mock upstream, proxies and gateway share the machine; numbers vary by"
    echo "10–20 % between runs. Proxy CPU is utime + stime of the proxy's processes over the load run,"
    echo "divided by the requests wrk completed."
    echo
    echo "$report"
} > "$here/RESULTS.md"
