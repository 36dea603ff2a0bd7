#!/usr/bin/env bash
# Benchmarks Debian's own dynamically linked programs under hdbg, beside the same command run natively and under
# qemu-x86_64 (Debian's qemu-user, QEMU's translator as users run it), all in the same run. Not part of the tests.
#
#   bench/programs.sh [REPEATS]
#
# Rows (median of REPEATS runs, default 3), each with --root / against the host's libraries:
#   sort:      /usr/bin/sort --parallel=1 -o /dev/null FILE, FILE 4 MiB of random words (one thread everywhere:
#              hdbg runs one, and sort would start more natively)
#   sha256sum: /usr/bin/sha256sum FILE, FILE 16 MiB of random bytes
# Columns: native wall time; qemu-x86_64 wall time; hdbg's run_nanos (time in uc_emu_start, from the exit record:
# no JVM start, no network) and hdbg's wall time (agent start, connect, g, exit: what a user waits for); then the
# speed of hdbg's run_nanos as a fraction of qemu-user's wall time (issue 15's goal is at least 0.5); last, in the same
# repeat, hdbg's run_nanos with --no-store-fast-path (every store on Unicorn's slow path, as before wave 10; skipped
# with HDBG_BENCH_SLOW=0).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bin/hdbg-env.sh
hdbg_prepare
hdbg_require_packages qemu-user python3 coreutils >/dev/null || exit 1

REPEATS="${1:-3}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

python3 - "$OUT" <<'PY'
import os, random, sys
out = sys.argv[1]
random.seed(12)
words = ["".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(random.randint(3, 12))) for _ in range(5000)]
with open(os.path.join(out, "words.txt"), "w") as f:
    size = 0
    while size < 4 << 20:
        line = " ".join(random.choice(words) for _ in range(random.randint(1, 6))) + "\n"
        f.write(line)
        size += len(line)
with open(os.path.join(out, "random.bin"), "wb") as f:
    f.write(random.randbytes(16 << 20))
PY

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s%N; }

# Prints the wall time of COMMAND in nanoseconds; its output is discarded, its status must be 0.
wall() {
    local start end
    start=$(now)
    env -i "$@" >/dev/null </dev/null
    end=$(now)
    echo $((end - start))
}

SLOW="${HDBG_BENCH_SLOW:-1}"
AGENT_OPTIONS=()

# Runs PROGRAM ARGS under a fresh agent (AGENT_OPTIONS before it); prints "run_nanos wall_nanos", or says why not on stderr and fails.
# The agent picks a free port (127.0.0.1:0) and says which: a guessed one could be another agent's.
hdbg_run() {
    local address="" start end
    start=$(now)
    bin/hdbg-agent "${AGENT_OPTIONS[@]}" --elf "$1" --root / --cwd "$OUT" --listen "127.0.0.1:0" --once -- "${@:2}" >"$OUT/agent.log" 2>&1 &
    local pid=$!
    address="$(hdbg_agent_address_in "$OUT/agent.log" "$pid")"
    if [[ -z "$address" ]] || ! printf 'g\n' | bin/hdbg --connect "$address" --batch - --json >"$OUT/host.json"; then
        echo "bench/programs.sh: no run of $* under hdbg; the agent said:" >&2
        cat "$OUT/agent.log" >&2
        kill "$pid" 2>/dev/null || true
        local status=0
        wait "$pid" || status=$?
        echo "bench/programs.sh: (the agent's exit status: $status)" >&2
        return 1
    fi
    wait "$pid" || true
    end=$(now)
    python3 - "$OUT/host.json" "$((end - start))" <<'PY'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
exits = [r for r in records if r["type"] == "exit"]
if not exits or int(exits[0]["status"], 16) != 0:
    sys.exit("the program did not exit with status 0: " + str(records[-3:]))
print(exits[0]["run_nanos"], sys.argv[2])
PY
}

row() {
    local name="$1"
    shift
    local native=() qemu=() run=() whole=() slow=()
    for _ in $(seq 1 "$REPEATS"); do
        if [[ "$SLOW" = 1 ]]; then
            AGENT_OPTIONS=(--no-store-fast-path)
            read -r r w < <(hdbg_run "$@") || exit 1
            slow+=("$r")
            AGENT_OPTIONS=()
        else
            slow+=(0)
        fi
        native+=("$(cd "$OUT" && wall "$@")")
        qemu+=("$(cd "$OUT" && wall /usr/bin/qemu-x86_64 "$@")")
        read -r r w < <(hdbg_run "$@") || exit 1
        run+=("$r")
        whole+=("$w")
    done
    local n q r w s
    s=$(printf '%s\n' "${slow[@]}" | median)
    n=$(printf '%s\n' "${native[@]}" | median)
    q=$(printf '%s\n' "${qemu[@]}" | median)
    r=$(printf '%s\n' "${run[@]}" | median)
    w=$(printf '%s\n' "${whole[@]}" | median)
    awk -v name="$name" -v n="$n" -v q="$q" -v r="$r" -v w="$w" -v s="$s" 'BEGIN {
        printf "%-10s %10.3f s %10.3f s %10.3f s %10.3f s %10.3f %10.3f s\n", name, n / 1e9, q / 1e9, r / 1e9, w / 1e9, q / r, s / 1e9 }'
}

echo "hdbg programs benchmark, median of $REPEATS runs, --root / (dynamically linked, the host's libraries)"
printf '%-10s %12s %12s %12s %12s %10s %12s\n' "row" "native" "qemu-x86_64" "hdbg run" "hdbg wall" "hdbg/qemu" "slow run"
row sort /usr/bin/sort --parallel=1 -o /dev/null words.txt
row sha256sum /usr/bin/sha256sum random.bin
