#!/usr/bin/env bash
# CPU per request of a fresh agent, by thread (C2, C1, the event loop), and of the host, over bench/latency.sh's
# sequence: an empty batch, N `r rip`, N `t`, each a new `bin/hdbg --batch FILE --json` (issue 15; docs/benchmarks.md,
# "Agent request path and JVM options, wave 8"). Counts CPU from /proc, not wall time: the machine is shared.
# Usage: bench/agent_cpu.sh [CHECKOUT] [N]     (defaults: this checkout, 10000)
# Environment: AGENTOPTS / HOSTOPTS, JAVA_TOOL_OPTIONS for the agent / the timed hosts (options to try).
set -euo pipefail
ROOT="$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/..}" && pwd)"; N="${2:-10000}"
D="$(mktemp -d)"
trap 'kill "$ap" 2>/dev/null || true; rm -rf "$D"' EXIT
gcc -static -g -O0 -o "$D/bench" "$ROOT/bench/step_target.c"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$ROOT/bin/hdbg" --help >/dev/null
: >"$D/agent.log"
JAVA_TOOL_OPTIONS="${AGENTOPTS:-}" "$ROOT/bin/hdbg-agent" --elf "$D/bench" --listen "127.0.0.1:$port" >"$D/agent.log" 2>&1 &
ap=$!
until grep -q listening "$D/agent.log"; do kill -0 "$ap" 2>/dev/null || { cat "$D/agent.log" >&2; exit 1; }; sleep 0.1; done
for ((i = 0; i < N; i++)); do echo 'r rip'; done >"$D/r.txt"
for ((i = 0; i < N; i++)); do echo 't'; done >"$D/t.txt"
: >"$D/e.txt"
tck="$(getconf CLK_TCK)"
# CPU ticks by thread name (its first 6 characters: C2_Com, C1_Com, multiT for the event loop).
snap() {
    local t
    for t in /proc/"$ap"/task/*; do echo "$(tr ' ' _ <"$t/comm") $(awk '{print $14+$15}' "$t/stat")"; done |
        awk '{a[substr($1,1,6)]+=$2} END {for (k in a) print k, a[k]}' | sort
}
line="$(basename "$ROOT")"
for f in e r t; do
    snap >"$D/s0"; t0="$(date +%s.%N)"
    JAVA_TOOL_OPTIONS="${HOSTOPTS:-}" perf stat -x, -e task-clock,context-switches "$ROOT/bin/hdbg" \
        --connect "127.0.0.1:$port" --batch "$D/$f.txt" --json >/dev/null 2>"$D/perf.txt"
    t1="$(date +%s.%N)"; snap >"$D/s1"
    [ "$f" = e ] && continue
    hc="$(grep task-clock "$D/perf.txt" | cut -d, -f1)"; hs="$(grep context-sw "$D/perf.txt" | cut -d, -f1)"
    ag="$(join "$D/s0" "$D/s1" | awk -v t="$tck" -v n="$N" '{d=($3-$2)*1e6/t/n; tot+=d; if($1=="C2_Com") c2=d;
        if($1=="C1_Com") c1=d; if($1=="multiT") lp=d} END {printf "agent %4.0f us (C2 %4.0f, C1 %3.0f, loop %4.0f)", tot, c2, c1, lp}')"
    line="$line | $f: wall $(echo "($t1-$t0)*1000000/$N" | bc) us, $ag, host $(echo "$hc*1000/$N" | bc) us, $(echo "scale=1;$hs/$N" | bc) cs"
done
echo "$line | load $(cut -d' ' -f1 /proc/loadavg)"
