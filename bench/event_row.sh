#!/usr/bin/env bash
# One event's cost on the loop sample (add rax, 1 ; dec rcx ; jnz at 0x40000a), as bench/run.sh's hot rows measure it,
# for any event command: prints passes per second from the exit record's run_nanos (no start-up, no network).
# Not part of the test run.
#   bench/event_row.sh 'COMMAND' [PASSES]     e.g. bench/event_row.sh '!epthook 40000e condition {31 c0}'
# Environment: CHECKOUT=DIR, another checkout (built) to run instead of this tree.
set -euo pipefail
ROOT="${CHECKOUT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
# shellcheck source=../bin/hdbg-env.sh
source "$ROOT/bin/hdbg-env.sh" # hdbg_agent_address_in
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
passes="${2:-2097152}"
"$ROOT/bin/hdbg-agent" --sample loop --listen 127.0.0.1:0 --once >"$OUT/agent.log" 2>&1 &
agent=$!
address="$(hdbg_agent_address_in "$OUT/agent.log" "$agent")"
[ -n "$address" ] || { echo "event_row: the agent did not listen: $(cat "$OUT/agent.log")" >&2; exit 1; }
printf 'r rcx = 0n%s\n%s\ng\n' "$passes" "$1" | "$ROOT/bin/hdbg" --connect "$address" --batch - --json >"$OUT/host.json"
wait "$agent" || true
python3 - "$OUT/host.json" "$passes" "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    if line.startswith('{"type":"exit"'):
        print(f"{sys.argv[3]}: {int(sys.argv[2]) / json.loads(line)['run_nanos'] * 1e9:,.0f} passes/s")
        break
else:
    sys.exit("event_row: no exit record")
PY
