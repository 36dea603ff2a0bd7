#!/usr/bin/env bash
# The six rows of bench/real.sh by CPU time, this checkout against another built one, alternating, for a machine too
# busy for wall times. Not part of the tests.
#
#   HDBG_BENCH_BASE=/path/to/other/checkout bench/real_pairs.sh [MIB] [ROUNDS]   # defaults 4 and 2
#
# Per row and round: an agent of this checkout, then (with HDBG_BENCH_BASE) one of the other, each with its own
# launcher and AOT caches, then qemu-x86_64. For hdbg: run_ms, the CPU time of the agent's execution thread, of all
# its threads and of its compilers (bench/real/agent_cpu.sh). For qemu-x86_64: its task-clock.
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

source bench/real/agent_cpu.sh

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $MIB MiB, this checkout: $(pwd)${BASE:+, base: $BASE}"
for row in "${ROWS[@]}"; do
    name="${row%%|*}"
    read -r -a cmd <<<"${row#*|}"
    for _ in $(seq 1 "$ROUNDS"); do
        here=$(hdbg_cpu "$(pwd)" -- "${cmd[@]}")
        base=""
        if [ -n "$BASE" ]; then
            base=" | base: $(hdbg_cpu "$BASE" -- "${cmd[@]}")"
        fi
        qemu=$(perf stat -x, -e task-clock qemu-x86_64 "${cmd[@]}" 2>&1 >/dev/null | awk -F, '/task-clock/ {printf "%d", $1}')
        echo "$name | this: $here$base | qemu cpu_ms $qemu | load $(cut -d' ' -f1 /proc/loadavg)"
    done
done
