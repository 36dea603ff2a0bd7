#!/usr/bin/env bash
# Where a hot event's run goes, not part of the tests: one fresh agent on the loop sample (as bench/run.sh's rows),
# one event, `g` at once after it, and the wall of the run (run_nanos) split into the execution thread's CPU, the
# time it was runnable but not on a core (the run queue: other processes, the JIT's threads) and the time it was
# blocked (waiting for a foreground compile, or for anything else), from /proc/PID/task/TID/schedstat sampled every
# 2 ms (docs/benchmarks.md, "Hot hits, wave 14"):
#
#   bench/hit-split.sh [RUNS]                       row 6: script { if (@rdi == 0x12345) { pause(); } }, 2 M hits
#   HDBG_SPLIT_EVENT='!epthook 40000a condition {31 c0}' bench/hit-split.sh 5     row 2
#   HDBG_SPLIT_TREE=/path/to/checkout ...           another built checkout (default: this one)
#   HDBG_SPLIT_COMPILES=1 ...                       also -XX:+LogCompilation: the compiles the thread waited for
#                                                   after its first hit (queued to done), the longest first
#   HDBG_SPLIT_AGENT_OPTS='-XX:...' ...             JAVA_TOOL_OPTIONS of the agent (options to try)
#
# On a loaded machine the run queue is most of the wall; CPU and blocked time are what a build changes.
set -u
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
RUNS=${1:-3}
TREE=${HDBG_SPLIT_TREE:-$(cd "$(dirname "$0")/.." && pwd)}
EVENT=${HDBG_SPLIT_EVENT:-'!epthook 40000a script { if (@rdi == 0x12345) { pause(); } }'}
HITS=$((0x200000))
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for run in $(seq 1 "$RUNS"); do
    opts=${HDBG_SPLIT_AGENT_OPTS:-}
    [ "${HDBG_SPLIT_COMPILES:-0}" = 1 ] && opts="$opts -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=$OUT/compiles.log"
    rm -f "$OUT"/*
    (cd "$TREE" && JAVA_TOOL_OPTIONS="$opts" exec bin/hdbg-agent --sample loop --listen 127.0.0.1:0 --once >"$OUT/agent.log" 2>&1) &
    pid=$!
    address=$(cd "$TREE" && source bin/hdbg-env.sh && hdbg_agent_address_in "$OUT/agent.log" "$pid")
    tid=""
    for t in /proc/$pid/task/*; do [ "$(cat "$t/comm" 2>/dev/null)" = hdbg-execution ] && tid=${t##*/}; done
    python3 - "$pid" "$tid" "$OUT/sched" <<'PY' &
import sys, time
pid, tid, out = sys.argv[1:4]
with open(out, "w") as f:
    while True:
        try:
            s = open(f"/proc/{pid}/task/{tid}/schedstat").read().split()
        except OSError:
            break
        f.write(f"{time.time():.6f} {s[0]} {s[1]}\n")
        time.sleep(0.002)
PY
    sampler=$!
    printf 'r rcx = 0n%s\n%s\ng\n' "$HITS" "$EVENT" | (cd "$TREE" && bin/hdbg --connect "$address" --batch - --json) >"$OUT/host.json"
    wait "$pid"; wait "$sampler"
    python3 - "$OUT" "$HITS" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import bisect, collections, json, os, re, sys
out, hits, load = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ex = [json.loads(l) for l in open(f"{out}/host.json") if l.startswith('{"type":"exit"')]
if not ex:
    sys.exit(print("no exit record: see the agent's log"))
run = ex[0]["run_nanos"] / 1e9
s = [tuple(map(float, l.split())) for l in open(f"{out}/sched")]
t = [x[0] for x in s]
# The run: the window of run_nanos in which the thread's CPU grew most.
best = max(((s[bisect.bisect_left(t, s[i][0] + run)][1] - s[i][1], i, bisect.bisect_left(t, s[i][0] + run))
            for i in range(len(s)) if bisect.bisect_left(t, s[i][0] + run) < len(s)), default=None)
if best is None:
    sys.exit(print("too few samples"))
_, i, j = best
cpu, queue, wall = (s[j][1] - s[i][1]) / 1e9, (s[j][2] - s[i][2]) / 1e9, s[j][0] - s[i][0]
line = (f"{hits / run:>12,.0f} hits/s  wall {run * 1e3:5.0f} ms = CPU {cpu * 1e3:4.0f} + run queue {queue * 1e3:4.0f}"
        f" + blocked {max(0, wall - cpu - queue) * 1e3:4.0f}  (load {load})")
log = f"{out}/compiles.log"
if os.path.exists(log):
    attr = lambda l, k: (re.search(k + r"='([^']*)'", l) or [None, None])[1]
    tasks, current = {}, None
    for l in open(log, errors="replace"):
        if l.startswith("<task_queued"):
            m = attr(l, "method").split(" ")
            tasks[attr(l, "compile_id")] = dict(q=float(attr(l, "stamp")), blocking=attr(l, "blocking") == "1",
                name=re.sub(r"/0x[0-9a-f]+", "", m[0].split(".")[-1]) + "::" + m[1]
                     + (" (osr)" if attr(l, "osr_bci") else "") + " L" + (attr(l, "level") or "4"))
        elif l.startswith("<task "):
            current = attr(l, "compile_id")
        elif l.startswith("<task_done") and current in tasks:
            tasks[current]["done"] = float(attr(l, "stamp"))
    first = min((x["q"] for x in tasks.values() if x["name"].startswith("Trampolines$Code::invoke")), default=0)
    waits = collections.Counter()
    for x in tasks.values():
        if x["blocking"] and "done" in x and x["q"] >= first - 0.01:
            waits[x["name"]] += x["done"] - x["q"]
    line += f"\n    waited {sum(waits.values()) * 1e3:.0f} ms for compiles: " + ", ".join(
        f"{k} {v * 1e3:.0f}" for k, v in waits.most_common(6))
print(line)
PY
done
