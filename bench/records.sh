#!/usr/bin/env bash
# CPU time per record on each side of the record path, not part of the tests:
#
#   bench/records.sh [CHECKOUT] [RECORDS] [ACTION]
#
# Starts CHECKOUT's (default: this one) `bin/hdbg-agent --sample loop --once` and its host
# `bin/hdbg --batch FILE --json > out.json` with `r rcx = 0nRECORDS`, `!epthook 40000a ACTION`, `g`
# (ACTION defaults to `log {rdi} imm no`), each under /usr/bin/time; checks that every record arrived
# and prints one line: records, records/s (run_nanos), and user+system CPU per record of the agent and
# of the host, in microseconds. CPU time per record does not depend much on what else runs on the
# machine, so it is what tells two builds apart on a busy machine (docs/benchmarks.md, "Records, wave 4").
set -eu
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
DIR=$(cd "${1:-$(dirname "$0")/..}" && pwd)
N=${2:-2000000}
ACTION=${3:-log {rdi\} imm no}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
port=$((20000 + RANDOM % 20000))
(cd "$DIR" && /usr/bin/time -f '%U %S' -o "$OUT/agent.time" bin/hdbg-agent --sample loop \
    --listen "127.0.0.1:$port" --once >"$OUT/agent.log" 2>&1) &
agent=$!
for _ in $(seq 1 300); do grep -q "listening on" "$OUT/agent.log" 2>/dev/null && break; sleep 0.1; done
printf 'r rcx = 0n%s\n!epthook 40000a %s\ng\n' "$N" "$ACTION" >"$OUT/in.txt"
(cd "$DIR" && /usr/bin/time -f '%U %S' -o "$OUT/host.time" bin/hdbg --connect "127.0.0.1:$port" \
    --batch "$OUT/in.txt" --json >"$OUT/out.json")
wait $agent
python3 - "$OUT" "$N" <<'PY'
import json, sys
out, n = sys.argv[1], int(sys.argv[2])
count, seqs, ns = 0, [], 0
for line in open(out + "/out.json"):
    r = json.loads(line)
    if r["type"] in ("log", "script"):
        count += 1
        seqs.append(r["seq"])
    elif r["type"] == "exit":
        ns = r["run_nanos"]
if count != n or seqs != sorted(set(seqs)):
    sys.exit(f"expected {n} records in order, got {count}")
cpu = lambda f: sum(map(float, open(out + "/" + f).read().split()[-2:]))
a, h = cpu("agent.time"), cpu("host.time")
print(f"records {n}  {n / ns * 1e9:,.0f} records/s  agent {a / n * 1e6:.2f} us/record  host {h / n * 1e6:.2f} us/record"
      f"  (agent {a:.1f} s, host {h:.1f} s of CPU)")
PY
