#!/usr/bin/env bash
# Real programs under hdbg, against the same programs run natively and under qemu-user, side by
# side in one run on this machine. Not part of the tests.
#
#   bench/real.sh [MIB] [REPEATS]
#
# Rows: busybox sha256sum, md5sum, gzip -c and sort of a MIB-MiB input (default 4), a gcc -O2
# program (bench/real/crunch.c), and a loop of 10 M one-byte stores (bench/real/store_native.c) that
# is also run by bare Unicorn from C (bench/real/store_loop.c, no hdbg): the floor Unicorn sets. Each is timed natively, under qemu-x86_64 and under hdbg
# (bin/hdbg-agent --elf ... --root / with bin/hdbg sending g), median of REPEATS (default 3).
# hdbg's time is run_nanos from its exit record (time in uc_emu_start, syscalls included, no
# start-up or network) and, apart, the wall time of the whole agent run (JVM start, attach,
# output records to the host). Target (issue 15): hdbg speed >= 0.5 of qemu-user's on every row.
# Beside them, in the same repeat: hdbg with --no-store-fast-path (Unicorn's slow path for every store, as before
# wave 10; skipped with HDBG_BENCH_SLOW=0), and the bare store loop with the agent's patch applied in C
# (bench/real/store_patch.h).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bin/hdbg-env.sh
hdbg_prepare
hdbg_require_packages gcc python3 busybox-static qemu-user libunicorn-dev >/dev/null || exit 1

MIB="${1:-4}"
REPEATS="${2:-3}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
BUSYBOX="$(command -v busybox)"
file -L "$BUSYBOX" | grep -q "statically linked" || { echo "busybox must be statically linked" >&2; exit 1; }
gcc -O2 -static -o "$OUT/crunch" bench/real/crunch.c
gcc -O2 -static -o "$OUT/store_native" bench/real/store_native.c
gcc -O2 -o "$OUT/store_loop" bench/real/store_loop.c -lunicorn -ldl
STORES=10000000

# Inputs: MIB MiB of text lines (compressible, sortable), the same bytes for every row and tool.
python3 bench/real/text_input.py "$OUT/input.txt" "$MIB"

ROWS=(
    "sha256sum|$BUSYBOX sha256sum $OUT/input.txt"
    "md5sum|$BUSYBOX md5sum $OUT/input.txt"
    "gzip -c|$BUSYBOX gzip -c $OUT/input.txt"
    "sort|$BUSYBOX sort $OUT/input.txt"
    "gcc -O2 crunch|$OUT/crunch 4"
    "10M stores|$OUT/store_native $STORES"
)

now() { date +%s%N; }

SLOW="${HDBG_BENCH_SLOW:-1}"

# Runs COMMAND... in a fresh agent (AGENT_OPTIONS before it); prints "run_nanos wall_nanos".
AGENT_OPTIONS=()
hdbg_run() {
    local address="" pid start
    start=$(now)
    # Port 0: the agent picks a free port and says which; a guessed one could be another agent's.
    bin/hdbg-agent "${AGENT_OPTIONS[@]}" --elf "$1" --root / --listen "127.0.0.1:0" --once -- "${@:2}" >"$OUT/agent.log" 2>&1 &
    pid=$!
    address="$(hdbg_agent_address_in "$OUT/agent.log" "$pid")"
    [[ -n "$address" ]] || { echo "bench/real.sh: the agent did not listen:" >&2; cat "$OUT/agent.log" >&2; return 1; }
    printf 'g\n' | bin/hdbg --connect "$address" --batch - --json >"$OUT/host.json"
    wait "$pid" || true
    local end
    end=$(now)
    python3 - "$OUT/host.json" "$((end - start))" <<'PY'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
exits = [r for r in records if r["type"] == "exit"]
if not exits or exits[0].get("status") not in (0, "0x0", "0"):
    sys.exit("hdbg run failed: " + str(records[-3:]))
print(exits[0]["run_nanos"], sys.argv[2])
PY
}

timed() { local s e; s=$(now); "$@" >/dev/null; e=$(now); echo $((e - s)); }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS="$OUT/results"
: >"$RESULTS"
for row in "${ROWS[@]}"; do
    name="${row%%|*}"
    read -r -a cmd <<<"${row#*|}"
    native=(); qemu=(); run=(); wall=(); bare=(); patched=(); slow=()
    for _ in $(seq 1 "$REPEATS"); do
        if [ "$name" = "10M stores" ]; then
            read -r _ ns < <("$OUT/store_loop" "$STORES")
            bare+=("$ns")
            read -r _ ns < <("$OUT/store_loop" "$STORES" 2)
            patched+=("$ns")
        else
            bare+=(0); patched+=(0)
        fi
        if [ "$SLOW" = 1 ]; then
            AGENT_OPTIONS=(--no-store-fast-path)
            read -r r _ < <(hdbg_run "${cmd[@]}")
            slow+=("$r")
            AGENT_OPTIONS=()
        else
            slow+=(0)
        fi
        native+=("$(timed "${cmd[@]}")")
        qemu+=("$(timed qemu-x86_64 "${cmd[@]}")")
        read -r r w < <(hdbg_run "${cmd[@]}")
        run+=("$r"); wall+=("$w")
    done
    printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "$name" "$(printf '%s\n' "${native[@]}" | median)" \
        "$(printf '%s\n' "${qemu[@]}" | median)" "$(printf '%s\n' "${run[@]}" | median)" \
        "$(printf '%s\n' "${wall[@]}" | median)" "$(printf '%s\n' "${bare[@]}" | median)" \
        "$(printf '%s\n' "${patched[@]}" | median)" "$(printf '%s\n' "${slow[@]}" | median)" >>"$RESULTS"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$RESULTS" "$MIB" "$REPEATS" <<'PY'
import sys
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[1])]
print(f"real programs, {sys.argv[2]} MiB input, median of {sys.argv[3]} runs (seconds)")
def cell(value, width):
    return f"{value:>{width}.2f}" if value else f"{'-':>{width}}"
print(f"{'row':<16} {'native':>8} {'qemu':>8} {'hdbg run':>9} {'hdbg wall':>10} {'slow run':>9} {'bare uc':>8} "
      f"{'bare fast':>9} {'qemu/hdbg run':>14} {'target':>7}")
for name, native, qemu, run, wall, bare, patched, slow in rows:
    native, qemu, run, wall, bare, patched, slow = (int(x) / 1e9 for x in (native, qemu, run, wall, bare, patched, slow))
    print(f"{name:<16} {native:>8.2f} {qemu:>8.2f} {run:>9.2f} {wall:>10.2f} {cell(slow, 9)} {cell(bare, 8)} "
          f"{cell(patched, 9)} {qemu / run:>14.3f} {'>= 0.5':>7}")
print("qemu, native: wall time of the process; hdbg run: run_nanos; slow run: run_nanos with --no-store-fast-path;")
print("bare uc: uc_emu_start from C; bare fast: the same with the agent's patch applied in C (store_patch.h)")
PY
