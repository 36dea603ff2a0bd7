#!/usr/bin/env bash
# The agent's CPU per request over each of Netty's transports, this tree's build (issue 15, docs/benchmarks.md,
# "The native transport, stop 37"). For each repeat and transport (alternating): a fresh `--elf` agent on
# bench/latency.sh's program and a fresh `bin/hdbg --batch` of N copies of CMD, both started with
# -Dhdbg.transport=nio or epoll; prints the batch's wall time per request (the host's start-up included) and the CPU
# per request of each agent thread that used more than 0.5 us of it (read from /proc/PID/task/*/stat before and
# after). CPU, not wall time, is what separates the transports on a shared machine.
# Not part of the test run. Usage: bench/transport_cpu.sh [N] [REPEATS] [CMD]   (defaults 20000, 3, "r rip")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-20000}"
REPEATS="${2:-3}"
CMD="${3:-r rip}"
OUT="$(mktemp -d)"
AGENT_PID=
cleanup() {
    [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$OUT"
}
trap cleanup EXIT
gcc -static -g -O0 -o "$OUT/bench" "$ROOT/bench/step_target.c"
awk -v n="$N" -v c="$CMD" 'BEGIN {for (i = 0; i < n; i++) print c}' >"$OUT/batch.txt"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Each thread's name (spaces kept out) and its user+system ticks.
ticks() {
    local t
    for t in /proc/"$1"/task/*; do
        printf '%s %s\n' "$(tr ' ' '_' <"$t/comm")" "$(cut -d' ' -f14,15 "$t/stat" | awk '{print $1 + $2}')"
    done | awk '{sum[$1] += $2} END {for (k in sum) print k, sum[k]}' | sort
}
hz="$(getconf CLK_TCK)"
echo "agent CPU per \`$CMD\`, N=$N; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for repeat in $(seq "$REPEATS"); do
    for transport in nio epoll; do
        port="$(free_port)"
        JAVA_TOOL_OPTIONS="-Dhdbg.transport=$transport" "$ROOT/bin/hdbg-agent" --elf "$OUT/bench" \
            --listen "127.0.0.1:$port" >"$OUT/agent.log" 2>&1 &
        AGENT_PID=$!
        until grep -q 'listening on' "$OUT/agent.log"; do sleep 0.05; done
        java_pid="$(pgrep -n -P "$AGENT_PID" java || echo "$AGENT_PID")"
        ticks "$java_pid" >"$OUT/before"
        start="$(date +%s.%N)"
        JAVA_TOOL_OPTIONS="-Dhdbg.transport=$transport" "$ROOT/bin/hdbg" --connect "127.0.0.1:$port" \
            --batch "$OUT/batch.txt" --json >/dev/null 2>"$OUT/host.err"
        end="$(date +%s.%N)"
        ticks "$java_pid" >"$OUT/after"
        kill "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true; AGENT_PID=
        awk -v s="$start" -v e="$end" -v n="$N" -v r="$repeat" -v tr="$transport" \
            'BEGIN {printf "%d %-5s wall %.1f us a request (host start-up included)\n", r, tr, (e - s) * 1e6 / n}'
        join "$OUT/before" "$OUT/after" | awk -v n="$N" -v hz="$hz" \
            '{us = ($3 - $2) * 1e6 / hz / n; if (us > 0.5) printf "          %-28s %7.1f us a request\n", $1, us}'
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
