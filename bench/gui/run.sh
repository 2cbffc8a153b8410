#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# The desktop app's "never blocks, never idles hot" benchmark (issue 13, item 9): the real
# app under Xvfb with RATE requests/s flowing for SECONDS (mixed: streams, two wire formats,
# a route, wrong keys, a dead provider, unknown models) against the mock upstream, the
# window shown and then hidden, side by side with the headless `serve` under the same load;
# then both idle (the app hidden, no traffic) for SECONDS. Everything runs on 127.0.0.1 in a
# temp dir (data dirs, HOME) and stops when the script ends.
#   bench/gui/run.sh [SECONDS]          (default 60)
#   BENCH_RATE=200                      requests per second
#   BENCH_LATENCY_MS=120                the mock's time to first byte; streams send an event
#                                       every 30 ms on top
# Prints markdown tables and writes them to bench/gui/RESULTS.md. The event-loop gap and the
# first paint come from the app's own probe (SWITCHYARD_BENCH_REPORT, src/gui/benchprobe.h);
# CPU, RSS and disk writes from /proc.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-60}
rate=${BENCH_RATE:-200}
latency=${BENCH_LATENCY_MS:-120}
cd "$root"

if ! command -v Xvfb >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y -qq --no-install-recommends xvfb >/dev/null
fi
scripts/deps.sh build
scripts/build.sh switchyard sy-mock-upstream bench_guiload >/dev/null
bin=$root/build/src/switchyard
load=$root/build/bench/gui/bench_guiload
hz=$(getconf CLK_TCK)

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# A home of its own: QSettings, caches and anything else the app writes land here.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_CACHE_HOME=$work/home/.cache
export XDG_DATA_HOME=$work/home/.local/share XDG_RUNTIME_DIR=$work/runtime
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export LANG=C.UTF-8 LC_ALL=C.UTF-8 SWITCHYARD_DEMO_PROVIDER_KEY=sk-demo
unset WAYLAND_DISPLAY QT_QPA_PLATFORM

# Waits for "listening on URL" in a log (or the process's end) and prints the port.
listening_port() { # log pid
    for _ in $(seq 1 300); do
        local port
        port=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$1" 2>/dev/null | grep -o '[0-9]*$' | head -n1 || true)
        if [ -n "$port" ]; then echo "$port"; return 0; fi
        kill -0 "$2" 2>/dev/null || break
        sleep 0.05
    done
    echo "gui bench: no 'listening on' in $1:" >&2
    cat "$1" >&2
    return 1
}

Xvfb -displayfd 3 -screen 0 1400x1000x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb=$!
pids+=($xvfb)
for _ in $(seq 1 100); do [ -s "$work/display" ] && break; sleep 0.05; done
export DISPLAY=:$(head -n1 "$work/display")

"$root/build/tests/support/sy-mock-upstream" --stream-delay-ms 30 --latency-ms "$latency" >"$work/mock.log" 2>&1 &
pids+=($!)
mock=http://127.0.0.1:$(listening_port "$work/mock.log" $!)

# A data dir: the providers on the mock (and a dead one), a route, a client key.
new_data_dir() { # dir; prints the client key
    mkdir -p "$1"
    cat >"$1/config.json" <<JSON
{"listen": "127.0.0.1:0",
 "auth": {"require_client_key": true},
 "secret_store": "encrypted-file",
 "providers": [
   {"id": "openai", "kind": "openai", "base_url": "$mock/v1", "api_key_env": "SWITCHYARD_DEMO_PROVIDER_KEY"},
   {"id": "anthropic", "kind": "anthropic", "base_url": "$mock", "api_key_env": "SWITCHYARD_DEMO_PROVIDER_KEY"},
   {"id": "xai", "kind": "openai", "base_url": "$mock/v1", "api_key_env": "SWITCHYARD_DEMO_PROVIDER_KEY"},
   {"id": "dead", "kind": "openai", "base_url": "http://127.0.0.1:9/v1", "api_key_env": "SWITCHYARD_DEMO_PROVIDER_KEY"}],
 "routes": [{"model": "fast", "strategy": "fallback",
             "targets": [{"provider": "openai", "model": "gpt-4o-mini"}, {"provider": "xai", "model": "grok-4.6"}]}]}
JSON
    "$bin" client-key create bench --data-dir "$1" 2>/dev/null
}
app_key=$(new_data_dir "$work/app-data")
serve_key=$(new_data_dir "$work/serve-data")

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime of a process or /proc/P/task/T
now() { date +%s.%N; }
percent() { python3 -c "print(f'{($2 - $1) * 100 / $hz / $3:.2f}')"; } # ticks_before ticks_after wall_seconds
mib() { awk -v k="$2" '$1 == k ":" {printf "%.0f", $2 / 1024}' "/proc/$1/status"; } # pid VmRSS|VmHWM
written() { awk '$1 == "write_bytes:" {print $2}' "/proc/$1/io"; }
# Every thread's name and CPU ticks, to say where a process's time went.
thread_ticks() { for t in /proc/$1/task/*; do echo "$(cat "$t/comm" | tr ' ' _) $(ticks "${t#/proc/}")"; done; }
threads_summary() { # before_file after_file wall_seconds
    python3 - "$@" "$hz" <<'PY'
import sys, collections
def read(path):
    d = collections.Counter()
    for line in open(path):
        name, t = line.rsplit(' ', 1)
        d[name] += int(t)
    return d
before, after, wall, hz = read(sys.argv[1]), read(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
rows = sorted(((after[n] - before.get(n, 0)) * 100 / hz / wall, n) for n in after)
print(', '.join(f'{n} {p:.1f} %' for p, n in reversed(rows) if p >= 0.05) or '—')
PY
}
stop() { # pid
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
    wait "$1" 2>/dev/null || true
}
json() { python3 -c "import json,sys; print(eval(sys.argv[2], json.load(open(sys.argv[1]))))" "$@"; }

declare -A r # results, by "column.row"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# One loaded run: starts the command, waits for it to listen and settle, sends the load,
# measures. name; then the command.
loaded_run() {
    local name=$1; shift
    local launched start wall before after gui_before gui_after x_before x_after
    launched=$(now)
    "$@" >"$work/$name.log" 2>&1 &
    local pid=$!
    pids+=($pid)
    local port
    port=$(listening_port "$work/$name.log" $pid)
    r[$name.listening_ms]=$(python3 -c "print(round(($(now) - $launched) * 1000))")
    if [ "$name" = requests ]; then # Ctrl+2 in the window: the Requests page
        xdotool search --sync --pid $pid --onlyvisible --name Switchyard windowfocus --sync >/dev/null
        xdotool key ctrl+2
    fi
    sleep 3 # start-up work (the first model lists, the history read) is not the load
    local key=$app_key
    [ "$name" = serve ] && key=$serve_key
    thread_ticks $pid >"$work/$name.threads0"
    before=$(ticks $pid); gui_before=$(ticks $pid/task/$pid); x_before=$(ticks $xvfb)
    start=$(now)
    r[$name.load_at_ms]=$(python3 -c "print(round(($start - $launched) * 1000))")
    "$load" "$port" "$rate" "$seconds" "$key" >"$work/$name.load.json"
    wall=$(python3 -c "print($(now) - $start)")
    after=$(ticks $pid); gui_after=$(ticks $pid/task/$pid); x_after=$(ticks $xvfb)
    thread_ticks $pid >"$work/$name.threads1"
    r[$name.cpu]=$(percent "$before" "$after" "$wall")
    r[$name.main_cpu]=$(percent "$gui_before" "$gui_after" "$wall")
    r[$name.x_cpu]=$(percent "$x_before" "$x_after" "$wall")
    r[$name.rss]=$(mib $pid VmRSS)
    r[$name.hwm]=$(mib $pid VmHWM)
    r[$name.threads]=$(threads_summary "$work/$name.threads0" "$work/$name.threads1" "$wall")
    local l=$work/$name.load.json
    r[$name.load]="$(json "$l" 'f"{sent} sent, {answered} answered, {lost} lost, {late} sent late; statuses " + ", ".join(f"{k}: {v}" for k, v in by_status.items()) + f"; p50 {latency_p50_ms:.0f} ms, p99 {latency_p99_ms:.0f} ms; at most {max_in_flight} in flight on {connections} connections"')"
    stop $pid
}

# 1. The app, window shown, on a new data dir (its first launch), then hidden; then serve.
SWITCHYARD_BENCH_REPORT=$work/shown.json loaded_run shown "$bin" --data-dir "$work/app-data"
SWITCHYARD_BENCH_REPORT=$work/requests.json loaded_run requests "$bin" --data-dir "$work/app-data"
SWITCHYARD_BENCH_REPORT=$work/hidden.json loaded_run hidden "$bin" --data-dir "$work/app-data" --hidden
loaded_run serve "$bin" serve --data-dir "$work/serve-data"
for name in shown requests hidden; do
    [ -s "$work/$name.json" ] || { echo "gui bench: no probe report from the $name run:" >&2; cat "$work/$name.log" >&2; exit 1; }
    r[$name.gap]=$(json "$work/$name.json" 'f"{max_gap_ms:.1f}"')
    r[$name.own_gap]=$(json "$work/$name.json" 'f"{max_gap_less_waiting_ms:.1f}"')
    r[$name.worst]=$(json "$work/$name.json" '", ".join("%.0f ms at %.1f s (ran %.0f, waited for a core %.0f)" % (g["ms"], g["ended_at_ms"] / 1000, g["on_core_ms"], g["waiting_for_core_ms"]) for g in worst_gaps)')
    r[$name.paint]=$(json "$work/$name.json" 'f"{first_paint_ms:.0f}"')
    r[$name.paints_hidden]=$(json "$work/$name.json" "f'{paints_hidden} paints; {chart_scene_changes_hidden} chart changes, the last at {last_hidden_chart_change_ms / 1000:.1f} s (the load began at ${r[$name.load_at_ms]} ms)'")
    r[$name.hidden_ok]=$(json "$work/$name.json" "paints_hidden == 0 and last_hidden_chart_change_ms < ${r[$name.load_at_ms]}")
    r[$name.pages]=$(json "$work/$name.json" '", ".join(f"{k} {v}" for k, v in paints_by_page.items())')
    r[$name.charts]=$(json "$work/$name.json" 'f"{chart_scene_changes}"')
    r[$name.widgets]=$(json "$work/$name.json" '", ".join(f"{k} {v}" for k, v in sorted(paints_by_widget.items(), key=lambda kv: -kv[1])[:8])')
done

# 2. Launch to a painted window again, with the history of the runs above in the data dir.
paints=()
for i in 1 2 3; do
    SWITCHYARD_BENCH_REPORT=$work/launch$i.json "$bin" --data-dir "$work/app-data" >"$work/launch$i.log" 2>&1 &
    pid=$!
    pids+=($pid)
    listening_port "$work/launch$i.log" $pid >/dev/null
    sleep 2
    stop $pid
    paints+=("$(json "$work/launch$i.json" 'f"{first_paint_ms:.0f}"')")
done
r[history.paint]=$(printf '%s\n' "${paints[@]}" | sort -n | sed -n 2p) # the median of three
r[history.paints]=$(IFS=/; echo "${paints[*]}")

# 3. Idle: the app hidden (no probe: its timer would wake the thread) and serve, no
# traffic, side by side, on the data dirs above. Started, left to settle, then watched.
snapshot() { find "$work/app-data" "$work/serve-data" "$HOME" -printf '%p %s %T@\n' | sort; }
"$bin" --data-dir "$work/app-data" --hidden >"$work/idle-app.log" 2>&1 &
idle_app=$!
pids+=($idle_app)
"$bin" serve --data-dir "$work/serve-data" >"$work/idle-serve.log" 2>&1 &
idle_serve=$!
pids+=($idle_serve)
listening_port "$work/idle-app.log" $idle_app >/dev/null
listening_port "$work/idle-serve.log" $idle_serve >/dev/null
sleep 5
snapshot >"$work/files0"
a0=$(ticks $idle_app); g0=$(ticks $idle_app/task/$idle_app); s0=$(ticks $idle_serve)
aw0=$(written $idle_app); sw0=$(written $idle_serve)
thread_ticks $idle_app >"$work/idle.threads0"
start=$(now)
sleep "$seconds"
wall=$(python3 -c "print($(now) - $start)")
a1=$(ticks $idle_app); g1=$(ticks $idle_app/task/$idle_app); s1=$(ticks $idle_serve)
aw1=$(written $idle_app); sw1=$(written $idle_serve)
thread_ticks $idle_app >"$work/idle.threads1"
snapshot >"$work/files1"
r[idle_app.cpu]=$(percent "$a0" "$a1" "$wall")
r[idle_app.main_cpu]=$(percent "$g0" "$g1" "$wall")
r[idle_serve.cpu]=$(percent "$s0" "$s1" "$wall")
r[idle_app.written]=$((aw1 - aw0))
r[idle_serve.written]=$((sw1 - sw0))
r[idle_app.rss]=$(mib $idle_app VmRSS)
r[idle_serve.rss]=$(mib $idle_serve VmRSS)
r[idle_app.threads]=$(threads_summary "$work/idle.threads0" "$work/idle.threads1" "$wall")
changed=$(diff "$work/files0" "$work/files1" | sed -n 's/^> //p' | awk '{print $1}' | sed "s|$work/||" | sort -u | tr '\n' ' ')
r[idle.changed]=${changed:-none}
stop $idle_app
stop $idle_serve

load_avg=$(cut -d' ' -f1-3 /proc/loadavg)
verdict() { python3 -c "print('PASS' if $1 else 'FAIL')"; }
report=$(cat <<TABLE
Under load: $rate requests/s for $seconds s (the mock answers after $latency ms; streams send an event every 30 ms).

| | app: window on the Dashboard | app: on the Requests page | app: window hidden | serve |
|---|---|---|---|---|
| longest gap between two event-loop turns of the GUI thread (10 ms probe) | ${r[shown.gap]} ms | ${r[requests.gap]} ms | ${r[hidden.gap]} ms | — |
| the same, less the time the thread waited for a core (a busy machine) | ${r[shown.own_gap]} ms | ${r[requests.own_gap]} ms | ${r[hidden.own_gap]} ms | — |
| GUI thread CPU (% of one core) | ${r[shown.main_cpu]} % | ${r[requests.main_cpu]} % | ${r[hidden.main_cpu]} % | ${r[serve.main_cpu]} % (main thread) |
| process CPU (% of one core) | ${r[shown.cpu]} % | ${r[requests.cpu]} % | ${r[hidden.cpu]} % | ${r[serve.cpu]} % |
| X server CPU (Xvfb, % of one core) | ${r[shown.x_cpu]} % | ${r[requests.x_cpu]} % | ${r[hidden.x_cpu]} % | — |
| launch to a painted window | ${r[shown.paint]} ms (new data dir); ${r[history.paint]} ms with history (median of ${r[history.paints]}) | ${r[requests.paint]} ms | — | — |
| launch to "listening on" | ${r[shown.listening_ms]} ms | ${r[requests.listening_ms]} ms | ${r[hidden.listening_ms]} ms | ${r[serve.listening_ms]} ms |
| RSS after the run (peak) | ${r[shown.rss]} MiB (${r[shown.hwm]}) | ${r[requests.rss]} MiB (${r[requests.hwm]}) | ${r[hidden.rss]} MiB (${r[hidden.hwm]}) | ${r[serve.rss]} MiB (${r[serve.hwm]}) |
| chart redraws (scene changes) over the run | ${r[shown.charts]} | ${r[requests.charts]} | ${r[hidden.charts]} | — |
| paints by page | ${r[shown.pages]} | ${r[requests.pages]} | ${r[hidden.pages]} | — |

Idle: no traffic for $seconds s, the app hidden (started with \`--hidden\`, no probe), serve beside it.

| | app, hidden | serve |
|---|---|---|
| process CPU (% of one core) | ${r[idle_app.cpu]} % | ${r[idle_serve.cpu]} % |
| GUI thread CPU | ${r[idle_app.main_cpu]} % | — |
| bytes written to disk (/proc/PID/io write_bytes) | ${r[idle_app.written]} | ${r[idle_serve.written]} |
| RSS | ${r[idle_app.rss]} MiB | ${r[idle_serve.rss]} MiB |

Files created or changed under the data dirs and HOME while idle: ${r[idle.changed]}

| goal (issue 13, item 9) | measured | |
|---|---|---|
| GUI thread's longest gap under load < 50 ms | ${r[shown.gap]} / ${r[requests.gap]} / ${r[hidden.gap]} ms (Dashboard / Requests / hidden) | $(verdict "max(${r[shown.gap]}, ${r[requests.gap]}, ${r[hidden.gap]}) < 50") |
| GUI thread CPU under load < 5 % of one core | ${r[shown.main_cpu]} / ${r[requests.main_cpu]} / ${r[hidden.main_cpu]} % | $(verdict "max(${r[shown.main_cpu]}, ${r[requests.main_cpu]}, ${r[hidden.main_cpu]}) < 5") |
| launch to a painted window < 1 s | ${r[shown.paint]} ms new, ${r[history.paint]} ms with history | $(verdict "${r[shown.paint]} < 1000 and ${r[history.paint]} < 1000") |
| RSS after the run < 120 MiB | ${r[shown.rss]} / ${r[requests.rss]} / ${r[hidden.rss]} MiB | $(verdict "max(${r[shown.rss]}, ${r[requests.rss]}, ${r[hidden.rss]}) < 120") |
| idle CPU < 0.5 % of one core | ${r[idle_app.cpu]} % | $(verdict "${r[idle_app.cpu]} < 0.5") |
| idle writes nothing to disk | ${r[idle_app.written]} bytes; files changed: ${r[idle.changed]} | $(verdict "${r[idle_app.written]} == 0 and '${r[idle.changed]}' == 'none'") |
| a hidden window redraws no charts | ${r[hidden.paints_hidden]} | $(verdict "${r[hidden.hidden_ok]}") |

Details:
- load, Dashboard: ${r[shown.load]}
- load, Requests page: ${r[requests.load]}
- load, hidden: ${r[hidden.load]}
- load, serve: ${r[serve.load]}
- worst gaps, Dashboard (each with when it ended, since process start; the load began at ${r[shown.load_at_ms]} ms): ${r[shown.worst]}
- worst gaps, Requests page (load from ${r[requests.load_at_ms]} ms): ${r[requests.worst]}
- worst gaps, hidden (load from ${r[hidden.load_at_ms]} ms): ${r[hidden.worst]}
- most painted widgets (page/widget paints), Dashboard: ${r[shown.widgets]}
- most painted widgets, Requests page: ${r[requests.widgets]}
- app threads under load, Dashboard: ${r[shown.threads]}
- app threads under load, Requests page: ${r[requests.threads]}
- app threads under load, hidden: ${r[hidden.threads]}
- serve threads under load: ${r[serve.threads]}
- app threads idle: ${r[idle_app.threads]}
- load average (1, 5, 15 min) at the start: $load_start; at the end: $load_avg
TABLE
)
echo "$report"
{
    echo "# Desktop app benchmark results"
    echo
    echo "Command: \`bench/gui/run.sh $seconds\` on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); Qt $(pkg-config --modversion Qt6Core 2>/dev/null || echo 6), Xvfb. The load generator, the mock"
    echo "upstream, the X server and the gateway share the machine with other engineers' builds."
    echo
    echo "$report"
} >"$here/RESULTS.md"
