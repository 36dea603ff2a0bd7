#!/usr/bin/env bash
# The busybox rows of bench/real.sh by CPU time, in alternating pairs, for a machine too busy for wall times: per
# row and round, hdbg (default), hdbg --no-large-tlb, and qemu-x86_64. Not part of the tests.
#
#   bench/real_cpu.sh [MIB] [ROUNDS]   # defaults 4 and 2
#
# For hdbg: run_ms, the CPU time of the agent's execution thread, of all its threads and of its compilers
# (bench/real/agent_cpu.sh). For qemu-x86_64: its task-clock.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bin/hdbg-env.sh
hdbg_prepare
hdbg_require_packages python3 busybox-static qemu-user linux-perf >/dev/null || exit 1
MIB="${1:-4}"
ROUNDS="${2:-2}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
BUSYBOX="$(command -v busybox)"
python3 bench/real/text_input.py "$OUT/input.txt" "$MIB"

source bench/real/agent_cpu.sh

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $MIB MiB"
for row in "md5sum" "sha256sum" "gzip -c" "sort"; do
    read -r -a cmd <<<"$row"
    for _ in $(seq 1 "$ROUNDS"); do
        large=$(hdbg_cpu "$(pwd)" -- "$BUSYBOX" "${cmd[@]}" "$OUT/input.txt")
        small=$(hdbg_cpu "$(pwd)" --no-large-tlb -- "$BUSYBOX" "${cmd[@]}" "$OUT/input.txt")
        qemu=$(perf stat -x, -e task-clock qemu-x86_64 "$BUSYBOX" "${cmd[@]}" "$OUT/input.txt" 2>&1 >/dev/null \
            | awk -F, '/task-clock/ {printf "%d", $1}')
        echo "$row | default: $large | --no-large-tlb: $small | qemu cpu_ms $qemu | load $(cut -d' ' -f1 /proc/loadavg)"
    done
done
