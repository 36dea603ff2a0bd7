#!/usr/bin/env bash
# CPU and thread wake-ups per gdb stepi through the bridge (issue 14): a fresh agent (bin/hdbg-agent --elf) and bridge
# (bin/hdbg --connect .. --gdb ..) of CHECKOUT on bench/latency.sh's program; gdb's `stepi N` after `break main` and
# `continue`, timed and measured from gdb's python: steps per second, the agent's and the bridge's CPU per step
# (/proc/PID/stat utime + stime), and per thread of each JVM the CPU during the steps, in all, and the voluntary
# context switches (wake-ups) per step (/proc/PID/task/TID/status). Counts, not only wall time: the machine is shared.
# gdb's own CPU per step is in the first line too (it is in gdbserver's rate as well). WARM=M runs `stepi M` before
# the measured steps (the JVMs' compilers mostly done: the steady state, not the warm-up).
# Not part of the test run. Needs gdb (with python), gcc and python3.
# AGENTOPTS and BRIDGEOPTS: JAVA_TOOL_OPTIONS of the agent and of the bridge (e.g. BRIDGEOPTS=-XX:TieredStopAtLevel=1).
# C2LOG=DIR keeps the bridge's -XX:+LogCompilation log, a sample of its compiler threads' CPU and the times the
# measured steps began and ended in DIR, and prints bench/c2_profile.py's report of them: what its C2 compiled, for
# how much CPU, before and during the steps.
# Usage: [WARM=M] [C2LOG=DIR] bench/bridge-cpu.sh CHECKOUT [N]   (N defaults to 5000); prints one line, then the threads
set -euo pipefail
ROOT="$(cd "$1" && pwd)"
N="${2:-5000}"
WARM="${WARM:-}"
OUT="$(mktemp -d)"
cleanup() {
    kill "${BRIDGE:-}" "${AGENT:-}" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$OUT"
}
trap cleanup EXIT
gcc -static -g -O0 -o "$OUT/bench" "$(dirname "${BASH_SOURCE[0]}")/step_target.c"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
"$ROOT/bin/hdbg" --help >/dev/null # builds once, outside the measurement
AGENT_PORT="$(free_port)"; GDB_PORT="$(free_port)"
JAVA_TOOL_OPTIONS="${AGENTOPTS:-}" "$ROOT/bin/hdbg-agent" --elf "$OUT/bench" --listen "127.0.0.1:$AGENT_PORT" \
    >"$OUT/agent.log" 2>&1 &
AGENT=$!
until grep -qs listening "$OUT/agent.log"; do kill -0 "$AGENT"; sleep 0.1; done
BRIDGEOPTS="${BRIDGEOPTS:-}"
C2LOG="${C2LOG:-}"
if [ -n "$C2LOG" ]; then
    mkdir -p "$C2LOG"
    C2LOG="$(cd "$C2LOG" && pwd)"
    rm -f "$C2LOG/marks"
    BRIDGEOPTS="$BRIDGEOPTS -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=$C2LOG/compilation.log"
fi
JAVA_TOOL_OPTIONS="$BRIDGEOPTS" "$ROOT/bin/hdbg" --connect "127.0.0.1:$AGENT_PORT" --gdb "127.0.0.1:$GDB_PORT" \
    >"$OUT/bridge.log" 2>&1 &
BRIDGE=$!
if [ -n "$C2LOG" ]; then
    python3 "$(dirname "${BASH_SOURCE[0]}")/c2_profile.py" sample "$BRIDGE" "$C2LOG/samples" &
    SAMPLER=$!
fi
until grep -qs 'gdb: listening' "$OUT/bridge.log"; do kill -0 "$BRIDGE"; sleep 0.1; done
# bin/hdbg and bin/hdbg-agent exec the JVM: the pids are the JVMs'.
cat >"$OUT/measure.py" <<PY
import glob, os, time, gdb
MARKS = "${C2LOG:+$C2LOG/marks}"
def mark(name):
    if MARKS:
        open(MARKS, "a").write("%.4f %s\n" % (time.time(), name))
PIDS = {"agent": $AGENT, "bridge": $BRIDGE, "gdb": os.getpid()}
def cpu(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])
def threads(pid):
    by_name = {}
    for stat in glob.glob("/proc/%d/task/*/stat" % pid):
        text = open(stat).read()
        name = text[text.index("(") + 1:text.rindex(")")]
        f = text.rsplit(")", 1)[1].split()
        switches = int(open(stat[:-4] + "status").read().split("voluntary_ctxt_switches:")[1].split()[0])
        row = by_name.setdefault(name, [0, 0])
        row[0] += int(f[11]) + int(f[12])
        row[1] += switches
    return by_name
def start():
    gdb.before = ({k: cpu(p) for k, p in PIDS.items()}, {k: threads(p) for k, p in PIDS.items()}, time.time())
    mark("steps")
def stop(steps):
    seconds = time.time() - gdb.before[2]
    mark("done")
    tick = 100.0
    used = {k: (cpu(p) - gdb.before[0][k]) / tick for k, p in PIDS.items()}
    print("RESULT %.0f stepi/s, agent %.0f us/stepi, bridge %.0f us/stepi, gdb %.0f us/stepi" % (steps / seconds,
          used["agent"] * 1e6 / steps, used["bridge"] * 1e6 / steps, used["gdb"] * 1e6 / steps))
    for k in ("agent", "bridge"):
        p = PIDS[k]
        now, was = threads(p), gdb.before[1][k]
        print("RESULT %s: ms during the steps, ms in all, wake-ups a stepi, thread" % k)
        for name in sorted(now, key=lambda n: -now[n][0]):
            b = was.get(name, [0, 0])
            if now[name][0] - b[0] or now[name][1] - b[1]:
                print("RESULT %8.0f %8.0f %8.2f  %s" % ((now[name][0] - b[0]) * 1e3 / tick, now[name][0] * 1e3 / tick,
                      (now[name][1] - b[1]) / steps, name))
PY
gdb -batch -nx -ex 'set confirm off' -ex "source $OUT/measure.py" -ex "target remote 127.0.0.1:$GDB_PORT" \
    -ex 'break main' -ex continue ${WARM:+-ex "stepi $WARM"} -ex 'python start()' -ex "stepi $N" -ex "python stop($N)" -ex kill "$OUT/bench" 2>&1 \
    | sed -n 's/^RESULT //p'
if [ -n "$C2LOG" ]; then
    # the bridge ends after gdb's kill; the JVM writes its compilation log as it exits
    for ((i = 0; i < 100; i++)); do kill -0 "$BRIDGE" 2>/dev/null || break; sleep 0.1; done
    wait "$SAMPLER" 2>/dev/null || true
    python3 "$(dirname "${BASH_SOURCE[0]}")/c2_profile.py" report "$C2LOG/compilation.log" "$C2LOG/samples" "$C2LOG/marks"
fi
