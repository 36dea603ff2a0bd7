#!/usr/bin/env bash
# Process creation as a shell script feels it, side by side in one run: Debian's bash looping N times over a subshell,
# a pipeline of builtins, a command substitution, a fork and exec of a static and of a dynamic program, and pipelines
# of two programs passing 110 KB (two execs and the switches of a pipe's waits), static (busybox) and dynamic (GNU
# coreutils, which share libc and ld.so); natively,
# under qemu-x86_64 and under hdbg (this checkout, and HDBG_BENCH_BASE's beside it when set). Not part of the tests.
#
#   [HDBG_BENCH_BASE=/path/to/other/checkout] bench/processes.sh [N] [REPEATS]     # defaults 100 and 3
#
# Each cell is the median over REPEATS of one iteration's cost in ms: (the loop's time - an empty loop's time) / N.
# hdbg's time is run_nanos from its exit record (bin/hdbg-agent --elf /bin/bash --root / with bin/hdbg sending g):
# the guest's run with its system calls, no JVM start-up or network. Native and qemu-user: wall time of the process.
# qemu-user runs the programs bash execs natively (no binfmt_misc entry for x86-64 on an x86-64 host), so its exec
# rows measure its fork and the host's exec, not an emulated program: read them as a floor, not a peer.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bin/hdbg-env.sh
hdbg_prepare
hdbg_require_packages bash python3 busybox-static qemu-user >/dev/null || exit 1

N="${1:-100}"
REPEATS="${2:-3}"
BASE="${HDBG_BENCH_BASE:-}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
BASH_BIN=/bin/bash
BUSYBOX="$(command -v busybox)"

ROWS=(
    "empty loop|:"
    "subshell (:)|(:)"
    "pipeline echo x into read y|echo x | read y"
    "command substitution \$(echo a)|x=\$(echo a)"
    "fork+exec static (busybox true)|$BUSYBOX true"
    "fork+exec dynamic (/bin/true)|/bin/true"
    "two programs piped (busybox seq 20000 into wc -l)|$BUSYBOX seq 20000 | $BUSYBOX wc -l >/dev/null"
    "two dynamic programs piped (GNU seq 20000 into wc -l)|/usr/bin/seq 20000 | /usr/bin/wc -l >/dev/null"
)

now() { date +%s%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs bash -c SCRIPT in a fresh agent of checkout $1; prints run_nanos.
hdbg_run() {
    local checkout="$1" script="$2" address pid
    (cd "$checkout" && exec bin/hdbg-agent --elf "$BASH_BIN" --root / --cwd "$OUT" --listen 127.0.0.1:0 --once \
        -- -c "$script") >"$OUT/agent.log" 2>&1 &
    pid=$!
    address="$(hdbg_agent_address_in "$OUT/agent.log" "$pid")"
    [[ -n "$address" ]] || { echo "bench/processes.sh: the agent did not listen:" >&2; cat "$OUT/agent.log" >&2; return 1; }
    printf 'g\n' | (cd "$checkout" && bin/hdbg --connect "$address" --batch - --json) >"$OUT/host.json"
    wait "$pid" || true
    python3 - "$OUT/host.json" <<'PY'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
exits = [r for r in records if r["type"] == "exit"]
if not exits or exits[0].get("status") not in (0, "0x0", "0"):
    sys.exit("hdbg run failed: " + str(records[-3:]))
print(exits[0]["run_nanos"])
PY
}
timed() { local s e; s=$(now); "$@" >/dev/null 2>&1; e=$(now); echo $((e - s)); }

COLUMNS=(native qemu this)
[[ -n "$BASE" ]] && COLUMNS+=(base)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); N=$N, $REPEATS repeats${BASE:+; base: $BASE}"
: >"$OUT/results"
for row in "${ROWS[@]}"; do
    name="${row%%|*}"
    script="for i in \$(seq $N); do ${row#*|}; done"
    for _ in $(seq 1 "$REPEATS"); do
        echo "$name|native|$(timed "$BASH_BIN" -c "$script")" >>"$OUT/results"
        echo "$name|qemu|$(timed qemu-x86_64 "$BASH_BIN" -c "$script")" >>"$OUT/results"
        echo "$name|this|$(hdbg_run "$(pwd)" "$script")" >>"$OUT/results"
        [[ -n "$BASE" ]] && echo "$name|base|$(hdbg_run "$BASE" "$script")" >>"$OUT/results"
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT/results" "$N" "${COLUMNS[@]}" <<'PY'
import statistics, sys
path, n, columns = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
cells = {}
for line in open(path):
    name, column, nanos = line.rstrip("\n").rsplit("|", 2)
    cells.setdefault((name, column), []).append(int(nanos))
names = list(dict.fromkeys(k[0] for k in cells))
empty = {c: statistics.median(cells[(names[0], c)]) for c in columns}
print(f"{'ms an iteration (median)':34}" + "".join(f"{c:>10}" for c in columns))
for name in names:
    row = []
    for c in columns:
        t = statistics.median(cells[(name, c)])
        row.append(t / 1e6 if name == names[0] else (t - empty[c]) / n / 1e6)
    label = name + (" (whole loop)" if name == names[0] else "")
    print(f"{label:34}" + "".join(f"{v:>10.2f}" for v in row))
PY
