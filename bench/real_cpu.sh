#!/usr/bin/env bash
# The busybox rows of bench/real.sh by CPU time, in alternating pairs, for a machine too busy for wall times: per
# row and round, hdbg (default), hdbg --no-large-tlb, and qemu-x86_64. Not part of the tests.
#
#   bench/real_cpu.sh [MIB] [ROUNDS]   # defaults 4 and 2
#
# For hdbg: run_ms (run_nanos, wall time in uc_emu_start), the CPU time of the agent's hdbg-execution thread (the
# guest's own time: translated code, Unicorn's helpers, the syscalls in Java), of all its threads, and of its C1/C2
# compiler threads (perf stat --per-thread, attached once the agent listens). For qemu-x86_64: its task-clock.
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

# Runs one agent (OPTIONS... -- COMMAND...); prints "run_ms R exec_cpu_ms E all_cpu_ms A compiler_ms C".
hdbg_cpu() {
    local options=() port pid jpid perf
    while [ "$1" != "--" ]; do options+=("$1"); shift; done
    shift
    port=$((20000 + RANDOM % 20000))
    bin/hdbg-agent "${options[@]}" --elf "$1" --root / --listen "127.0.0.1:$port" --once -- "$@" >"$OUT/agent.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 1200); do grep -q "listening on" "$OUT/agent.log" 2>/dev/null && break; sleep 0.05; done
    jpid=$(pgrep -P "$pid" java || echo "$pid")
    perf stat --per-thread -x, -e task-clock -p "$jpid" -o "$OUT/stat.txt" &
    perf=$!
    sleep 0.2
    printf 'g\n' | bin/hdbg --connect "127.0.0.1:$port" --batch - --json >"$OUT/host.json"
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
print("run_ms %d exec_cpu_ms %d all_cpu_ms %d compiler_ms %d" % (int(exits[0]["run_nanos"]) // 1000000,
      ms(lambda n: "hdbg-execution" in n), ms(lambda n: True), ms(lambda n: "Compiler" in n)))
PY
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $MIB MiB"
for row in "md5sum" "sha256sum" "gzip -c" "sort"; do
    read -r -a cmd <<<"$row"
    for _ in $(seq 1 "$ROUNDS"); do
        large=$(hdbg_cpu -- "$BUSYBOX" "${cmd[@]}" "$OUT/input.txt")
        small=$(hdbg_cpu --no-large-tlb -- "$BUSYBOX" "${cmd[@]}" "$OUT/input.txt")
        qemu=$(perf stat -x, -e task-clock qemu-x86_64 "$BUSYBOX" "${cmd[@]}" "$OUT/input.txt" 2>&1 >/dev/null \
            | awk -F, '/task-clock/ {printf "%d", $1}')
        echo "$row | default: $large | --no-large-tlb: $small | qemu cpu_ms $qemu | load $(cut -d' ' -f1 /proc/loadavg)"
    done
done
