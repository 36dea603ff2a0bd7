#!/usr/bin/env bash
# Paired A/B of two builds on bench/run.sh's agent rows, not part of the tests:
#
#   HDBG_AB_A=/path/to/checkout-a HDBG_AB_B=/path/to/checkout-b bench/ab.sh [ROUNDS]
#   HDBG_AB_ROWS="6-script 2-epthook" ... to run only some rows (default: all but 2b-rdi, run.sh's condition reading RDI)
#   HDBG_AB_CPU=1 ... rates per CPU second of the agent's execution thread during g, not per second of run_nanos
#
# On a loaded machine (2 cores, other helpers' builds) run_nanos is mostly time spent waiting for a core: the
# execution thread was on a CPU for a quarter to a half of it (docs/benchmarks.md, "The hot hit path, wave 10"), so
# wall rates of one pair differ by 2x either way. HDBG_AB_CPU=1 reads the thread's utime+stime (10 ms ticks) after the
# events are added and when the agent ends: the run's own CPU, without start-up and arming.
# For each round and each row, runs the row in build A and build B back to back (alternating which goes first), so
# both see the same load; prints the median and the quartiles of B/A per row. Each checkout builds on first use.
set -u
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
ROUNDS=${1:-10}
A=${HDBG_AB_A:?set HDBG_AB_A to the first built checkout}; B=${HDBG_AB_B:?set HDBG_AB_B to the second}
OUT=$(mktemp -d)
LOOP=$((0x10000000)); HOOK=$((0x200000))
run() { # dir iterations script -> prints rate (units per second from run_nanos)
    local dir=$1 it=$2 script=$3 port log
    port=$((20000 + RANDOM % 20000)); log=$OUT/agent.$port.log
    (cd $dir && exec bin/hdbg-agent --sample loop --listen 127.0.0.1:$port --once >$log 2>&1) &
    local pid=$! tid=""
    for _ in $(seq 1 300); do grep -q "listening on" $log 2>/dev/null && break; sleep 0.1; done
    for t in /proc/$pid/task/*; do [ "$(cat $t/comm 2>/dev/null)" = hdbg-execution ] && tid=${t##*/}; done
    (last=0; while v=$(awk '{print $14+$15}' /proc/$pid/task/$tid/stat 2>/dev/null); do last=$v; sleep 0.05; done
     echo $last >$OUT/ticks.end) &
    local watcher=$!
    { printf 'r rcx = 0n%s\n%s\n' "$it" "$script"; sleep 2 # the events are added by then
      awk '{print $14+$15}' /proc/$pid/task/$tid/stat >$OUT/ticks.g 2>/dev/null; printf 'g\n'; } \
        | (cd $dir && bin/hdbg --connect 127.0.0.1:$port --batch - --json) >$OUT/host.json
    wait $pid; wait $watcher
    python3 - $OUT/host.json $it "$4" "$(cat $OUT/ticks.g)" "$(cat $OUT/ticks.end)" "$(getconf CLK_TCK)" "${HDBG_AB_CPU:-0}" <<'PY'
import json, sys
recs=[json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
ex=[r for r in recs if r["type"]=="exit"]
it=int(sys.argv[2]); ns=ex[0]["run_nanos"] if ex else 0
n=(3*it+3) if sys.argv[3]=="instr" else it
if sys.argv[7] == "1":
    ns = (int(sys.argv[5] or 0) - int(sys.argv[4] or 0)) * 1e9 / int(sys.argv[6])
print(n/ns*1e9 if ns > 0 else "nan")
PY
}
declare -A rows=(
  [1-loop]="$LOOP||instr"
  [2-epthook]="$HOOK|!epthook 40000a condition {31 c0}|hits"
  [3-epthook2]="$HOOK|!epthook2 40000a condition {31 c0}|hits"
  [2b-rdi]="$HOOK|!epthook 40000a condition {48 8b 41 38 48 3d 45 23 01 00 0f 94 c0 0f b6 c0}|hits"
  [4-log]="$HOOK|!epthook 40000a log {rdi} imm no|hits"
  [5-armed]="$LOOP|!epthook 400100 log {rax}
!epthook2 400108 log {rax}
!monitor rwx 400200 l 8 log {rax}
!syscall log {rax}
!sysret log {rax}
!cpuid log {rax}
!msrread log {rax}
!msrwrite log {rax}
!tsc log {rax}
!pmc log {rax}
!vmcall log {rax}
!ioin log {rax}
!ioout log {rax}
!exception log {rax}
!interrupt 2e log {rax}
!dr log {rax}
!crwrite 0 log {rax}
!xsetbv log {rax}|instr"
  [6-script]="$HOOK|!epthook 40000a script { if (@rdi == 0x12345) { pause(); } }|hits"
  [7-sprint]="$HOOK|!epthook 40000a script { printf(\"%llx %llx\\n\", @rax, @rcx); } imm no|hits"
)
for r in $(seq 1 $ROUNDS); do
  for row in ${HDBG_AB_ROWS:-1-loop 2-epthook 3-epthook2 4-log 5-armed 6-script 7-sprint}; do
    v=${rows[$row]}; it=${v%%|*}; unit=${v##*|}; script=${v#*|}; script=${script%|*}
    if (( r % 2 )); then a=$(run $A $it "$script" $unit); b=$(run $B $it "$script" $unit)
    else b=$(run $B $it "$script" $unit); a=$(run $A $it "$script" $unit); fi
    echo "$row $r $a $b $(cut -d' ' -f1 /proc/loadavg)"
  done
done | tee $OUT/pairs.txt
python3 - $OUT/pairs.txt <<'PY'
import sys, statistics as st, collections
d=collections.defaultdict(list); a=collections.defaultdict(list); b=collections.defaultdict(list)
for l in open(sys.argv[1]):
    row,r,x,y,load=l.split()
    try: x=float(x); y=float(y)
    except: continue
    if x!=x or y!=y or x==0: continue
    d[row].append(y/x); a[row].append(x); b[row].append(y)
print(f"{'row':<12} {'pairs':>5} {'median A':>14} {'median B':>14} {'B/A median':>10} {'B/A q1':>7} {'B/A q3':>7}")
for row in sorted(d):
    q=st.quantiles(d[row],n=4) if len(d[row])>1 else [d[row][0]]*3
    print(f"{row:<12} {len(d[row]):>5} {st.median(a[row]):>14,.0f} {st.median(b[row]):>14,.0f} {st.median(d[row]):>10.3f} {q[0]:>7.3f} {q[2]:>7.3f}")
PY
rm -rf $OUT
