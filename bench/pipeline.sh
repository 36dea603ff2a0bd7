#!/usr/bin/env bash
# Pipelines of two programs passing MIB MiB through a pipe, where the processes take turns on the one emulated CPU at
# every fill and drain of the pipe (a process switch each time), side by side in one run: natively, and under hdbg
# (this checkout, and HDBG_BENCH_BASE's beside it when set). Not part of the tests.
#
#   [HDBG_BENCH_BASE=/path/to/other/checkout] bench/pipeline.sh [MIB] [REPEATS]     # defaults 16 and 3
#
# Rows: busybox sh -c 'md5sum F; true' (no pipe: one program the shell waits for, whose runs are time slices since the
# shell forked), busybox sh -c 'cat F | md5sum' (static: an exec'd cat beside a forked md5sum), the same with GNU
# bash, cat and md5sum (dynamic: libc and ld.so in both), and busybox 'cat F | gzip -c | wc -c' (three processes).
# hdbg's columns: run_nanos from the exit record (the guest's runs with their system calls; it leaves out the process
# switches, which happen between runs), and "g": the wall time of bin/hdbg --connect AGENT --batch sending g until
# the exit record, which holds the switches (and the host's JVM start, the same for both checkouts). Native: wall
# time of the shell. qemu-user is no baseline here: without a binfmt_misc entry it runs the exec'd programs natively.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bin/hdbg-env.sh
hdbg_prepare
hdbg_require_packages bash python3 busybox-static >/dev/null || exit 1

MIB="${1:-16}"
REPEATS="${2:-3}"
BASE="${HDBG_BENCH_BASE:-}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
BUSYBOX="$(command -v busybox)"
head -c "$((MIB * 1048576))" /dev/urandom >"$OUT/input.bin"

ROWS=(
    "busybox sh: md5sum F; true@$BUSYBOX@sh -c \"md5sum $OUT/input.bin; true\""
    "busybox cat | md5sum@$BUSYBOX@sh -c \"cat $OUT/input.bin | md5sum\""
    "GNU cat | md5sum (dynamic)@/bin/bash@-c \"/bin/cat $OUT/input.bin | /usr/bin/md5sum\""
    "busybox cat | gzip -c | wc -c@$BUSYBOX@sh -c \"cat $OUT/input.bin | gzip -c | wc -c\""
)

now() { date +%s%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs PROGRAM ARGS... in a fresh agent of checkout $1; prints "run_nanos g_nanos".
hdbg_run() {
    local checkout="$1" address pid start end
    (cd "$checkout" && exec bin/hdbg-agent --elf "$2" --root / --listen 127.0.0.1:0 --once -- "${@:3}") \
        >"$OUT/agent.log" 2>&1 &
    pid=$!
    address="$(hdbg_agent_address_in "$OUT/agent.log" "$pid")"
    [[ -n "$address" ]] || { echo "bench/pipeline.sh: the agent did not listen:" >&2; cat "$OUT/agent.log" >&2; return 1; }
    start=$(now)
    printf 'g\n' | (cd "$checkout" && bin/hdbg --connect "$address" --batch - --json) >"$OUT/host.json"
    end=$(now)
    wait "$pid" || true
    python3 - "$OUT/host.json" "$((end - start))" <<'PY'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
exits = [r for r in records if r["type"] == "exit"]
if not exits or exits[0].get("status") not in (0, "0x0", "0"):
    sys.exit("hdbg run failed: " + str(records[-3:]))
print(exits[0]["run_nanos"], sys.argv[2])
PY
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS="$OUT/results"
: >"$RESULTS"
for row in "${ROWS[@]}"; do
    IFS='@' read -r name program args <<<"$row"
    eval "arguments=($args)"
    native=(); run=(); g=(); base_run=(); base_g=()
    for _ in $(seq 1 "$REPEATS"); do
        s=$(now); "$program" "${arguments[@]}" >/dev/null; e=$(now)
        native+=("$((e - s))")
        read -r r w < <(hdbg_run . "$program" "${arguments[@]}")
        run+=("$r"); g+=("$w")
        if [ -n "$BASE" ]; then
            read -r r w < <(hdbg_run "$BASE" "$program" "${arguments[@]}")
            base_run+=("$r"); base_g+=("$w")
        else
            base_run+=(0); base_g+=(0)
        fi
    done
    printf '%s@%s@%s@%s@%s@%s\n' "$name" "$(printf '%s\n' "${native[@]}" | median)" \
        "$(printf '%s\n' "${run[@]}" | median)" "$(printf '%s\n' "${g[@]}" | median)" \
        "$(printf '%s\n' "${base_run[@]}" | median)" "$(printf '%s\n' "${base_g[@]}" | median)" >>"$RESULTS"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$RESULTS" "$MIB" "$REPEATS" "$BASE" <<'PY'
import sys
rows = [l.rstrip("\n").split("@") for l in open(sys.argv[1])]
base = sys.argv[4]
print(f"pipelines, {sys.argv[2]} MiB through the pipe, median of {sys.argv[3]} runs (seconds)")
head = f"{'row':<32} {'native':>7} {'hdbg run':>9} {'hdbg g':>7}"
if base:
    head += f" {'base run':>9} {'base g':>7} {'g base/this':>12}"
print(head)
for name, native, run, g, base_run, base_g in rows:
    native, run, g, base_run, base_g = (int(x) / 1e9 for x in (native, run, g, base_run, base_g))
    line = f"{name:<32} {native:>7.2f} {run:>9.2f} {g:>7.2f}"
    if base:
        line += f" {base_run:>9.2f} {base_g:>7.2f} {base_g / g:>12.2f}"
    print(line)
print("hdbg run: run_nanos (no process switches); hdbg g: wall time of the batch host's g, switches and the host's")
print("JVM start included" + (f"; base: {base}" if base else ""))
PY
