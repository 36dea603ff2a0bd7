#!/usr/bin/env bash
# bench/host_threads.sh CHECKOUT: per host thread, context switches and CPU a request over 5 s of a warm batch of
# 200,000 `r rip` (20 s in; WARM=SECONDS to change), against an agent of the same checkout on bench/step_target.c.
# Not part of the tests. HOSTOPTS: JAVA_TOOL_OPTIONS for the host (docs/benchmarks.md, "Request hand-overs, wave 7").
set -euo pipefail
TREE=$1; D="$(mktemp -d)"; trap 'rm -rf "$D"' EXIT
gcc -static -g -O0 -o "$D/bench" "$(dirname "${BASH_SOURCE[0]}")/step_target.c"
for ((i = 0; i < 200000; i++)); do echo 'r rip'; done >"$D/rrip200000.txt"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
: > $D/agent.$$.log
"$TREE/bin/hdbg-agent" --elf $D/bench --listen 127.0.0.1:$PORT >> $D/agent.$$.log 2>&1 &
AP=$!
until grep -q listening $D/agent.$$.log; do sleep 0.1; done
JAVA_TOOL_OPTIONS="${HOSTOPTS:-}" "$TREE/bin/hdbg" --connect 127.0.0.1:$PORT --batch $D/rrip200000.txt --json > $D/big.$$.json &
HP=$!
sleep ${WARM:-20}
JP=$(pgrep -P $HP java || echo $HP)
snap() { for t in /proc/$JP/task/*; do echo "$(basename $t):$(cat $t/comm | tr ' ' _) $(awk '/^voluntary_ctxt/{v=$2} /^nonvoluntary_ctxt/{n=$2} END{print v, n}' $t/status) $(awk '{print $14+$15}' $t/stat)"; done; }
snap > $D/s0.$$; L0=$(wc -l < $D/big.$$.json); sleep 5; snap > $D/s1.$$; L1=$(wc -l < $D/big.$$.json)
R=$((L1-L0)); echo "$(basename $TREE): $R requests in 5 s"
join <(sort $D/s0.$$) <(sort $D/s1.$$) | awk -v r=$R '{dv=$5-$2; dn=$6-$3; dc=$7-$4; if (dv+dn+dc>0) printf "  %-28s vol cs/req %.2f  invol %.2f  cpu us/req %.1f\n", $1, dv/r, dn/r, dc*10000/r}'
kill $HP $AP 2>/dev/null; wait 2>/dev/null || true
rm -f $D/s0.$$ $D/s1.$$ $D/big.$$.json $D/agent.$$.log
