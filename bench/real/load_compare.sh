#!/usr/bin/env bash
# Guest loads in bare Unicorn against qemu-user, by CPU time (task-clock, so a busy machine inflates neither much).
# Not part of the tests.
#
#   bench/real/load_compare.sh [N] [ROUNDS]   # defaults 100000000 iterations, 3 rounds
#
# Per round, alternating: bench/real/load_loop.c (the loop run by Unicorn from C, no hdbg) and bench/real/load_native.c
# (the same instructions as a static program) under qemu-x86_64, each with N iterations and with 1 (its start-up,
# subtracted). Prints ms of CPU for the N iterations and qemu-user's over Unicorn's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
N="${1:-100000000}"
ROUNDS="${2:-3}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
gcc -O2 -o "$OUT/load_loop" load_loop.c -lunicorn
gcc -O2 -static -o "$OUT/load_native" load_native.c
cpu_ms() { perf stat -x, -e task-clock "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ {print $1}'; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $N iterations of 4 loads"
for round in $(seq 1 "$ROUNDS"); do
    uc=$(cpu_ms "$OUT/load_loop" "$N"); uc0=$(cpu_ms "$OUT/load_loop" 1)
    qemu=$(cpu_ms qemu-x86_64 "$OUT/load_native" "$N"); qemu0=$(cpu_ms qemu-x86_64 "$OUT/load_native" 1)
    awk -v r="$round" -v u="$uc" -v u0="$uc0" -v q="$qemu" -v q0="$qemu0" \
        'BEGIN {printf "round %d: bare Unicorn %.0f ms, qemu-user %.0f ms, qemu/unicorn %.2f\n", r, u - u0, q - q0, (q - q0) / (u - u0)}'
done
