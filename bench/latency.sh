#!/usr/bin/env bash
# Request and step latency, side by side in one run (issues 14 and 15), on one gcc -static -g program:
#   gdbserver   gdb's `stepi 5000` under gdbserver: steps per second (the baseline);
#   bridge      the same `stepi 5000` through `bin/hdbg --connect AGENT --gdb ...`: steps per second;
#   r rip       `r rip` x N in one `bin/hdbg --batch FILE --json`: microseconds per command;
#   t           `t` x N in one `bin/hdbg --batch FILE --json`: steps per second (a run of plain `t` lines goes as few
#               requests of many steps since protocol 1.20);
#   t 1         `t 1` x N the same way: a request a step, the round trip the `t` column had before 1.20.
# Each repeat starts fresh processes; the table shows every repeat and the medians, with the load average before and
# after (the machine is shared: compare the columns of one run, not runs of different hours).
# A batch's time is the whole `bin/hdbg` run minus an empty batch's run just before it (JVM start-up, connection).
# Not part of the test run. Needs gdb, gdbserver, gcc and python3.
# Usage: bench/latency.sh [N] [REPEATS]     (defaults 10000 and 3)
# Environment: HDBG_BENCH_BASE=DIR, another checkout (built) whose bridge and batch rows run beside this tree's in each
# repeat (before/after); HDBG_BENCH_HOST_OPTS, extra JVM options for the timed bin/hdbg runs (profiling).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-10000}"
REPEATS="${2:-3}"
OUT="$(mktemp -d)"
# Processes started in command substitutions (subshells) are recorded in a file, so that the exit trap ends them all.
cleanup() {
    local p
    if [ -f "$OUT/pids" ]; then
        while read -r p; do kill "$p" 2>/dev/null || true; done <"$OUT/pids"
    fi
    wait 2>/dev/null || true
    rm -rf "$OUT"
}
trap cleanup EXIT
gcc -static -g -O0 -o "$OUT/bench" "$ROOT/bench/step_target.c"
now() { date +%s.%N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# One gdb session against 127.0.0.1:$1 doing ${@:2} after `break main` and `continue`; prints the seconds they took.
gdb_timed() {
    local port="$1"; shift
    local args=(-batch -nx -ex 'set confirm off' -ex "target remote 127.0.0.1:$port" -ex 'break main' -ex 'continue'
                -ex 'python import time; gdb.t0 = time.time()')
    local c; for c in "$@"; do args+=(-ex "$c"); done
    args+=(-ex 'python print("ELAPSED %.6f" % (time.time() - gdb.t0))' -ex 'kill' "$OUT/bench")
    # gdb's status is not the measurement's: kill fails (and gdb exits 1) when the program has already exited.
    { gdb "${args[@]}" 2>&1 || true; } | sed -n 's/^ELAPSED //p'
}

start_gdbserver() {
    local port; port="$(free_port)"
    : >"$OUT/gdbserver.log"
    gdbserver --once "127.0.0.1:$port" "$OUT/bench" >>"$OUT/gdbserver.log" 2>&1 &
    echo $! >>"$OUT/pids"
    until grep -q 'Listening on port' "$OUT/gdbserver.log" 2>/dev/null; do sleep 0.1; done
    echo "$port"
}
start_agent() { # log file -> port
    local port pid; port="$(free_port)"
    # Emptied here, not by the redirection in the background: that could come after the wait below has read the
    # previous run's "listening" from the same file.
    : >"$1"
    "$AGENT" --elf "$OUT/bench" --listen "127.0.0.1:$port" >>"$1" 2>&1 &
    pid=$!
    echo "$pid" >>"$OUT/pids"
    until grep -q 'listening' "$1" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || { echo "bench: the agent ended: $(cat "$1")" >&2; exit 1; }
        sleep 0.1
    done
    echo "$port"
}
start_bridge() {
    local agent_port port pid; agent_port="$(start_agent "$OUT/agent.log")"; port="$(free_port)"
    : >"$OUT/bridge.log"
    # shellcheck disable=SC2086
    JAVA_TOOL_OPTIONS="${HDBG_BENCH_HOST_OPTS:-}" "$HDBG" --connect "127.0.0.1:$agent_port" \
        --gdb "127.0.0.1:$port" >>"$OUT/bridge.log" 2>&1 &
    pid=$!
    echo "$pid" >>"$OUT/pids"
    until grep -q 'gdb: listening' "$OUT/bridge.log" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || { echo "bench: the bridge ended: $(cat "$OUT/bridge.log")" >&2; exit 1; }
        sleep 0.1
    done
    echo "$port"
}
batch() { # agent port, file -> seconds of the hdbg run, minus an empty batch's (start-up and connection)
    local t0 t1 e0 e1
    : >"$OUT/empty.txt"
    e0="$(now)"; "$HDBG" --connect "127.0.0.1:$1" --batch "$OUT/empty.txt" --json >/dev/null || true; e1="$(now)"
    t0="$(now)"
    JAVA_TOOL_OPTIONS="${HDBG_BENCH_HOST_OPTS:-}" "$HDBG" --connect "127.0.0.1:$1" --batch "$2" --json \
        >"$OUT/batch.json" 2>/dev/null || echo "bench: hdbg --batch $2 failed: $(grep -m1 error "$OUT/batch.json")" >&2
    t1="$(now)"
    awk -v a="$t0" -v b="$t1" -v c="$e0" -v d="$e1" 'BEGIN { printf "%.6f", (b - a) - (d - c) }'
}

"$ROOT/bin/hdbg" --help >/dev/null # builds once, outside the timings
for ((i = 0; i < N; i++)); do echo 'r rip'; done >"$OUT/rrip.txt"
for ((i = 0; i < N; i++)); do echo 't'; done >"$OUT/t.txt"
for ((i = 0; i < N; i++)); do echo 't 1'; done >"$OUT/t1.txt"

echo "hdbg request latency, N=$N, $REPEATS repeats; load average before: $(load)"
# One row per build: this tree's, and with HDBG_BENCH_BASE=DIR (another checkout, built) the baseline's beside it.
BUILDS=("$ROOT")
if [ -n "${HDBG_BENCH_BASE:-}" ]; then
    "$HDBG_BENCH_BASE/bin/hdbg" --help >/dev/null
    BUILDS=("$HDBG_BENCH_BASE" "$ROOT")
fi
printf '%-7s %-6s %15s %15s %12s %13s %9s %13s %9s\n' repeat build "gdbserver stepi" "bridge stepi" "r rip" "t" "t/gdbsrv" \
    "t 1" "bridge/gs"
: >"$OUT/rows"
for ((k = 1; k <= REPEATS; k++)); do
    gs="$(gdb_timed "$(start_gdbserver)" 'stepi 5000')"
    for b in "${!BUILDS[@]}"; do
        HDBG="${BUILDS[$b]}/bin/hdbg"; AGENT="${BUILDS[$b]}/bin/hdbg-agent"
        name="$([ "${#BUILDS[@]}" -gt 1 ] && [ "$b" -eq 0 ] && echo base || echo this)"
        br="$(gdb_timed "$(start_bridge)" 'stepi 5000')"
        agent_port="$(start_agent "$OUT/agent2.log")"
        r="$(batch "$agent_port" "$OUT/rrip.txt")"
        t="$(batch "$agent_port" "$OUT/t.txt")"
        t1="$(batch "$agent_port" "$OUT/t1.txt")"
        # build, steps/s of gdbserver and the bridge, us per r rip, t steps/s, t 1 steps/s
        awk -v name="$name" -v gs="$gs" -v br="$br" -v r="$r" -v t="$t" -v t1="$t1" -v n="$N" 'BEGIN {
            printf "%s %.1f %.1f %.2f %.1f %.1f\n", name, 5000 / gs, 5000 / br, r * 1e6 / n, n / t, n / t1 }' >"$OUT/row"
        cat "$OUT/row" >>"$OUT/rows"
        read -r name a b2 c d e <"$OUT/row"
        awk -v k="$k" -v name="$name" -v a="$a" -v b="$b2" -v c="$c" -v d="$d" -v e="$e" 'BEGIN {
            printf "%-7s %-6s %13.0f/s %13.0f/s %9.1f us %11.0f/s %9.2f %11.0f/s %9.2f\n", k, name, a, b, c, d, d / a, e, b / a }'
    done
done
python3 - "$OUT/rows" <<'PY2'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
for name in dict.fromkeys(r[0] for r in rows):
    gs, br, r, t, t1 = (statistics.median(float(x) for x in c) for c in zip(*[row[1:] for row in rows if row[0] == name]))
    print(f"{'median':<7} {name:<6} {gs:>13.0f}/s {br:>13.0f}/s {r:>9.1f} us {t:>11.0f}/s {t / gs:>9.2f} {t1:>11.0f}/s {br / gs:>9.2f}")
print(f"{'goal':<7} {'':<6} {'':>15} {'>= gdbserver':>15} {'<= 100 us':>12} {'>= 5,000/s':>13} {'>= 3':>9} {'':>13} {'>= 1':>9}")
PY2
echo "load average after: $(load)"
