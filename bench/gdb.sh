#!/usr/bin/env bash
# gdb through hdbg's bridge beside gdb through gdbserver, on the same gcc -static -g program, in one run (issue 14):
#   1. gdb's `stepi 5000`: steps per second;
#   2. a conditional breakpoint (`break f if a == 999`, never true) hit 2,000 times: hits per second;
#   2b. gdb's `next 3` from main's first line: over its two loops, each a line of its own (2,000 calls of f, then
#       100,000 iterations), which gdb range-steps (vCont;r): seconds (the bridge's agent steps them in its process
#       since protocol 1.20, gdbserver with ptrace).
# And the request round trip of issue 15, measured with hdbg's own batch mode on the same agent run:
#   3. `r rip` x N in one --batch file: microseconds per command; 4. `t` x N: steps per second.
# Not part of the test run. Needs gdb, gdbserver and gcc (apt-get install gdb gdbserver gcc).
# Usage: bench/gdb.sh [N]   (N = commands of rows 3 and 4, default 10000)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-10000}"
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

# One gdb session against 127.0.0.1:$1 doing ${@:2}; prints the seconds the commands after "target remote" took.
gdb_timed() {
    local port="$1"; shift
    local args=(-batch -nx -ex 'set confirm off' -ex "target remote 127.0.0.1:$port" -ex 'break main' -ex 'continue'
                -ex 'python import time; gdb.t0 = time.time()')
    local c; for c in "$@"; do args+=(-ex "$c"); done
    args+=(-ex 'python print("ELAPSED %.6f" % (time.time() - gdb.t0))' -ex 'kill' "$OUT/bench")
    # gdb's status is not the measurement's: kill fails (and gdb exits 1) when the program has already exited.
    { gdb "${args[@]}" 2>&1 || true; } | sed -n 's/^ELAPSED //p'
}

# Starts a gdbserver or an agent + bridge on a fresh port; prints the port.
start_gdbserver() {
    local port; port="$(free_port)"
    gdbserver --once "127.0.0.1:$port" "$OUT/bench" >"$OUT/gdbserver.log" 2>&1 &
    echo $! >>"$OUT/pids"; sleep 0.5; echo "$port"
}
start_bridge() {
    local agent_port port; agent_port="$(free_port)"; port="$(free_port)"
    "$ROOT/bin/hdbg-agent" --elf "$OUT/bench" --listen "127.0.0.1:$agent_port" >"$OUT/agent.log" 2>&1 &
    echo $! >>"$OUT/pids"
    until grep -q 'listening' "$OUT/agent.log" 2>/dev/null; do sleep 0.2; done
    "$ROOT/bin/hdbg" --connect "127.0.0.1:$agent_port" --gdb "127.0.0.1:$port" >"$OUT/bridge.log" 2>&1 &
    echo $! >>"$OUT/pids"
    until grep -q 'gdb: listening' "$OUT/bridge.log" 2>/dev/null; do sleep 0.2; done
    echo "$port"
}

"$ROOT/bin/hdbg" --help >/dev/null # builds once, outside the timings
printf '%-52s %14s %14s %8s\n' "row" "gdbserver" "hdbg bridge" "ratio"
row() { # name, gdbserver seconds, bridge seconds, count
    awk -v n="$1" -v a="$2" -v b="$3" -v c="$4" 'BEGIN { printf "%-52s %12.0f/s %12.0f/s %8.2f\n", n, c/a, c/b, a/b }'
}
s_gs="$(gdb_timed "$(start_gdbserver)" 'stepi 5000')"
s_br="$(gdb_timed "$(start_bridge)" 'stepi 5000')"
row "gdb stepi 5000 (steps/s)" "$s_gs" "$s_br" 5000
cond=('break f if a == 999999' 'continue')
c_gs="$(gdb_timed "$(start_gdbserver)" "${cond[@]}")"
c_br="$(gdb_timed "$(start_bridge)" "${cond[@]}")"
row "gdb conditional breakpoint, 2000 false hits (hits/s)" "$c_gs" "$c_br" 2000
n_gs="$(gdb_timed "$(start_gdbserver)" 'next 3')"
n_br="$(gdb_timed "$(start_bridge)" 'next 3')"
awk -v a="$n_gs" -v b="$n_br" 'BEGIN { printf "%-52s %13.2fs %13.2fs %8.2f\n", "gdb next 3 over main'"'"'s two loops (seconds)", a, b, a/b }'

# Issue 15's request rows: hdbg's own batch mode on a fresh agent, paused at the entry.
agent_port="$(free_port)"
"$ROOT/bin/hdbg-agent" --elf "$OUT/bench" --listen "127.0.0.1:$agent_port" >"$OUT/agent2.log" 2>&1 &
echo $! >>"$OUT/pids"
until grep -q 'listening' "$OUT/agent2.log" 2>/dev/null; do sleep 0.2; done
batch() { # file -> seconds of the whole hdbg run, minus an empty batch's (start-up and connection)
    local t0 t1 e0 e1
    : >"$OUT/empty.txt"
    e0="$(now)"; "$ROOT/bin/hdbg" --connect "127.0.0.1:$agent_port" --batch "$OUT/empty.txt" --json >/dev/null || true; e1="$(now)"
    t0="$(now)"; "$ROOT/bin/hdbg" --connect "127.0.0.1:$agent_port" --batch "$1" --json >"$OUT/batch.json" || echo "bench: hdbg --batch $1 failed: $(grep -m1 error "$OUT/batch.json")" >&2; t1="$(now)"
    awk -v a="$t0" -v b="$t1" -v c="$e0" -v d="$e1" 'BEGIN { printf "%.6f", (b - a) - (d - c) }'
}
for ((i = 0; i < N; i++)); do echo 'r rip'; done >"$OUT/rrip.txt"
for ((i = 0; i < N; i++)); do echo 't'; done >"$OUT/t.txt"
r="$(batch "$OUT/rrip.txt")"
t="$(batch "$OUT/t.txt")"
awk -v r="$r" -v t="$t" -v n="$N" -v g="$s_gs" 'BEGIN {
    printf "%-52s %14.1f us\n", "hdbg --batch: r rip x " n " (per command)", r * 1e6 / n
    printf "%-52s %12.0f/s %8.2f x gdbserver stepi\n", "hdbg --batch: t x " n " (steps/s)", n / t, (n / t) / (5000 / g)
}'
