#!/usr/bin/env bash
# Soak: one agent streams records for SECONDS while the host that receives them is killed (SIGKILL)
# every KILL_EVERY seconds and started again with the same --resume journal. Not part of the tests.
#
#   bench/soak.sh [SECONDS] [KILL_EVERY]      # defaults: 600 and 20
#
# The target is the loop sample with rcx = 2^62 (it never ends) and `!epthook 40000a log {rcx} imm no`:
# one log record per iteration, with the agent's default record store (--queue-capacity 65536), so the
# guest waits whenever the store is full, e.g. while a new host starts. Each host runs
# `bin/hdbg --resume JOURNAL --batch` with `g` (the first one starts the target; the later ones find it
# running and wait). After SECONDS a last host pauses the target and drains what is left.
#
# Reports, as one line and as one JSON line:
#   produced     records the agent made: the last sequence number (the pause's break record), as its
#                .status says
#   delivered    records in the journal
#   lost         sequence numbers missing from the journal
#   duplicated   records in the journal more than once
#   disordered   records whose sequence number is not one more than the line before's
#   restarts     hosts killed and started again
#   agent memory VmHWM (peak resident set) from /proc/PID/status at the end, and the largest and mean
#                VmRSS sampled every second
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bin/hdbg-env.sh
hdbg_prepare
hdbg_require_packages python3 >/dev/null || exit 1

DURATION="${1:-600}"
KILL_EVERY="${2:-20}"
ITERATIONS=$((1 << 62))
OUT="$(mktemp -d)"
JOURNAL="$OUT/records.jsonl"
AGENT_PID=""
HOST_PID=""
SAMPLER_PID=""
cleanup() {
    for pid in "$HOST_PID" "$SAMPLER_PID" "$AGENT_PID"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$OUT"
}
trap cleanup EXIT

bin/hdbg-agent --sample loop --listen 127.0.0.1:0 >"$OUT/agent.log" 2>&1 &
AGENT_PID=$!
PORT=""
for _ in $(seq 1 300); do
    PORT="$(sed -n 's/^hdbg-agent listening on [^:]*:\([0-9]*\).*/\1/p' "$OUT/agent.log" | head -n 1)"
    [ -n "$PORT" ] && break
    kill -0 "$AGENT_PID" 2>/dev/null || { cat "$OUT/agent.log" >&2; exit 1; }
    sleep 0.1
done
[ -n "$PORT" ] || { echo "soak: the agent did not start listening" >&2; cat "$OUT/agent.log" >&2; exit 1; }

# The agent's resident memory, once a second, until the agent ends.
(
    while [ -r "/proc/$AGENT_PID/status" ]; do
        awk '/^VmRSS:/ {print $2}' "/proc/$AGENT_PID/status" 2>/dev/null || true
        sleep 1
    done
) >"$OUT/rss.kb" &
SAMPLER_PID=$!

printf 'r rcx = 0n%s\n!epthook 40000a log {rcx} imm no\n' "$ITERATIONS" \
    | bin/hdbg --connect "127.0.0.1:$PORT" --batch - >"$OUT/setup.out" 2>&1 \
    || { echo "soak: setting the target up failed" >&2; cat "$OUT/setup.out" >&2; exit 1; }

printf 'g --timeout 100000\n' >"$OUT/run.txt"
echo "soak: ${DURATION} s, a host killed every ${KILL_EVERY} s (agent pid $AGENT_PID, 127.0.0.1:$PORT)" >&2
started=$(date +%s)
restarts=0
while [ $(($(date +%s) - started)) -lt "$DURATION" ]; do
    bin/hdbg --connect "127.0.0.1:$PORT" --json --resume "$JOURNAL" --batch "$OUT/run.txt" >/dev/null 2>"$OUT/host.err" &
    HOST_PID=$!
    left=$((DURATION - ($(date +%s) - started)))
    sleep "$((left < KILL_EVERY ? left : KILL_EVERY))"
    if ! kill -0 "$HOST_PID" 2>/dev/null; then
        echo "soak: a host ended by itself before it was killed:" >&2
        cat "$OUT/host.err" >&2
        exit 1
    fi
    kill -KILL "$HOST_PID"
    wait "$HOST_PID" 2>/dev/null || true
    HOST_PID=""
    restarts=$((restarts + 1))
    echo "soak: $(($(date +%s) - started)) s, host $restarts killed" >&2
done

# The last host stops the target (pause, then g waits for the break) and takes what is left; .status
# then says how many records the agent made.
printf 'pause\ng --timeout 600\n.status\n' >"$OUT/final.txt"
drain_started=$(date +%s)
bin/hdbg --connect "127.0.0.1:$PORT" --json --resume "$JOURNAL" --batch "$OUT/final.txt" >"$OUT/final.json" 2>&1 \
    || { echo "soak: the last host failed:" >&2; grep -v '"type":"log"' "$OUT/final.json" >&2; exit 1; }
drain_seconds=$(($(date +%s) - drain_started))
hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$AGENT_PID/status")

python3 - "$JOURNAL" "$OUT/final.json" "$OUT/rss.kb" "$ITERATIONS" "$DURATION" "$KILL_EVERY" "$restarts" \
    "$hwm_kb" "$drain_seconds" <<'PY'
import json, re, sys
journal, final, rss_file, iterations = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
duration, kill_every, restarts, hwm_kb, drain_seconds = map(int, sys.argv[5:10])

status = [json.loads(l) for l in open(final) if l.startswith('{"type":"status"')]
if not status:
    sys.exit("soak: the last host printed no status")
produced = status[-1]["last_seq"]

seq_re = re.compile(r'^\{"type":"([a-z_]+)","seq":(\d+)')
rcx_re = re.compile(r'"name":"rcx","value":"0x([0-9a-f]+)"')
headers = delivered = unique = duplicated = disordered = wrong_values = beyond = 0
seen = bytearray(produced + 1)  # a byte per sequence number: tens of millions fit, a set of them would not
previous = 0
with open(journal) as lines:
    for line in lines:
        if line.startswith('{"type":"journal"'):
            headers += 1
            continue
        m = seq_re.match(line)
        if not m:
            sys.exit("soak: not a record: " + line[:200])
        kind, seq = m.group(1), int(m.group(2))
        delivered += 1
        if seq > produced:
            beyond += 1
        elif seen[seq]:
            duplicated += 1
        else:
            seen[seq] = 1
            unique += 1
        if seq != previous + 1:
            disordered += 1
        previous = seq
        if kind == "log":
            rcx = rcx_re.search(line)
            if not rcx or int(rcx.group(1), 16) != iterations - (seq - 1):
                wrong_values += 1
lost = produced - unique
rss = [int(l) for l in open(rss_file) if l.strip().isdigit()]
result = {
    "duration_s": duration, "kill_every_s": kill_every, "restarts": restarts,
    "produced": produced, "delivered": delivered, "lost": lost, "duplicated": duplicated,
    "disordered": disordered, "wrong_values": wrong_values, "beyond_produced": beyond, "journal_headers": headers,
    "records_per_s": round(delivered / duration) if duration else 0, "drain_s": drain_seconds,
    "agent_vmhwm_mib": round(hwm_kb / 1024, 1),
    "agent_rss_max_mib": round(max(rss) / 1024, 1) if rss else None,
    "agent_rss_mean_mib": round(sum(rss) / len(rss) / 1024, 1) if rss else None,
    "rss_samples": len(rss),
}
print(f"soak {duration} s, kill every {kill_every} s: {restarts} restarts, produced {produced:,}, "
      f"delivered {delivered:,}, lost {lost}, duplicated {duplicated}, disordered {disordered}, "
      f"wrong values {wrong_values}; agent VmHWM {result['agent_vmhwm_mib']} MiB, "
      f"RSS max {result['agent_rss_max_mib']} MiB, mean {result['agent_rss_mean_mib']} MiB")
print(json.dumps(result))
ok = lost == 0 and duplicated == 0 and disordered == 0 and wrong_values == 0 and beyond == 0 and headers == 1
sys.exit(0 if ok else 1)
PY
