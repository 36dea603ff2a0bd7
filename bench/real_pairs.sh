#!/usr/bin/env bash
# The six rows of bench/real.sh by CPU time, this checkout against another built one, alternating, for a machine too
# busy for wall times. Not part of the tests.
#
#   HDBG_BENCH_BASE=/path/to/other/checkout bench/real_pairs.sh [MIB] [ROUNDS]   # defaults 4 and 2
#
# Per row and round: an agent of this checkout, then (with HDBG_BENCH_BASE) one of the other, each with its own
# launcher and AOT caches, then qemu-x86_64. For hdbg: run_ms (run_nanos: wall time in uc_emu_start), the CPU time
# of the agent's hdbg-execution thread (translated code, Unicorn's helpers, the system calls in Java, and whatever the
# JVM does on that thread: class loading, the interpreter), and of its C1/C2 compiler threads (perf stat
# --per-thread, attached once the agent listens). For qemu-x86_64: its task-clock.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bin/hdbg-env.sh
hdbg_prepare
hdbg_require_packages gcc python3 busybox-static qemu-user linux-perf >/dev/null || exit 1
MIB="${1:-4}"
ROUNDS="${2:-2}"
BASE="${HDBG_BENCH_BASE:-}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
BUSYBOX="$(command -v busybox)"
gcc -O2 -static -o "$OUT/crunch" bench/real/crunch.c
gcc -O2 -static -o "$OUT/store_native" bench/real/store_native.c
python3 bench/real/text_input.py "$OUT/input.txt" "$MIB"

ROWS=(
    "sha256sum|$BUSYBOX sha256sum $OUT/input.txt"
    "md5sum|$BUSYBOX md5sum $OUT/input.txt"
    "gzip -c|$BUSYBOX gzip -c $OUT/input.txt"
    "sort|$BUSYBOX sort $OUT/input.txt"
    "gcc -O2 crunch|$OUT/crunch 4"
    "10M stores|$OUT/store_native 10000000"
)

# Runs COMMAND... in a fresh agent of checkout TREE; prints "run_ms R exec_cpu_ms E compiler_ms C".
hdbg_cpu() {
    local tree="$1" port pid jpid perf
    shift
    port=$((20000 + RANDOM % 20000))
    "$tree/bin/hdbg-agent" --elf "$1" --root / --listen "127.0.0.1:$port" --once -- "${@:2}" >"$OUT/agent.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 1200); do grep -q "listening on" "$OUT/agent.log" 2>/dev/null && break; sleep 0.05; done
    jpid=$(pgrep -P "$pid" java || echo "$pid")
    perf stat --per-thread -x, -e task-clock -p "$jpid" -o "$OUT/stat.txt" &
    perf=$!
    sleep 0.2
    printf 'g\n' | "$tree/bin/hdbg" --connect "127.0.0.1:$port" --batch - --json >"$OUT/host.json"
    wait "$pid" || true
    wait "$perf" || true
    python3 - "$OUT/host.json" "$OUT/stat.txt" <<'PY'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
exits = [r for r in records if r["type"] == "exit"]
if not exits or exits[0].get("status") not in (0, "0x0", "0"):
    sys.exit("hdbg run failed: " + str(records[-3:]))
threads = [l.split(",") for l in open(sys.argv[2]) if "task-clock" in l]
ms = lambda name: sum(float(t[1]) for t in threads if name(t[0]))
print("run_ms %d exec_cpu_ms %d compiler_ms %d" % (int(exits[0]["run_nanos"]) // 1000000,
      ms(lambda n: "hdbg-execution" in n), ms(lambda n: "Compiler" in n)))
PY
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $MIB MiB, this checkout: $(pwd)${BASE:+, base: $BASE}"
for row in "${ROWS[@]}"; do
    name="${row%%|*}"
    read -r -a cmd <<<"${row#*|}"
    for _ in $(seq 1 "$ROUNDS"); do
        here=$(hdbg_cpu "$(pwd)" "${cmd[@]}")
        base=""
        if [ -n "$BASE" ]; then
            base=" | base: $(hdbg_cpu "$BASE" "${cmd[@]}")"
        fi
        qemu=$(perf stat -x, -e task-clock qemu-x86_64 "${cmd[@]}" 2>&1 >/dev/null | awk -F, '/task-clock/ {printf "%d", $1}')
        echo "$name | this: $here$base | qemu cpu_ms $qemu | load $(cut -d' ' -f1 /proc/loadavg)"
    done
done
