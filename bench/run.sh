#!/usr/bin/env bash
# Benchmarks hdbg against bare Unicorn, side by side on this machine. Not part of the tests.
#
#   bench/run.sh [REPEATS]
#
# Rows (median of REPEATS runs, default 5):
#   1. loop, no events: the loop sample through the agent (bin/hdbg-agent + bin/hdbg over
#      127.0.0.1), against the same bytes run by bare Unicorn from C (bench/bare_unicorn.c: the fastest of three
#      calls in one engine, since the call that translates the loop can run it 3 times slower on some hosts).
#      Ratio = agent speed / bare speed. Target: >= 0.9.
#   2. hot !epthook with a false condition: an event on the loop's body whose condition
#      (xor eax, eax) never holds; hits per second. Target: >= 500,000/s (the seed's), >= 1,500,000/s (issue 15).
#   3. hot !epthook2 (the detours-style hook) with the same false condition.
#   2b. hot !epthook with the false condition of row 6 in machine code, as HyperDbg's conditions read a guest register
#      (mov rax, [rcx + 0x38] ; cmp rax, 0x12345 ; sete al ; movzx eax, al: RDI from GUEST_REGS); hits per second.
#   4. hot !epthook logging rdi, batched (imm no): records per second delivered to a host
#      writing --json to a file. Target (issue 15): >= 1,000,000/s.
#   5. the loop with one armed event of each kind that never fires, against no events.
#      Target: >= 0.9.
#   6. hot !epthook with a false script condition (issue 10): script { if (@rdi == 0x12345)
#      { pause(); } }, compiled to a hidden class in the agent; hits per second. Targets:
#      >= 5,000,000/s and >= 3x row 2 (the machine-code condition) of the same run.
#   7. hot !epthook printing two registers from a script, imm no: script-output records per
#      second delivered to a host writing --json to a file. Target: >= 1,000,000/s.
#   8. the log of row 4 sent immediately (imm yes): every record leaves alone, at once.
#      200,000 records. Target (issue 15): >= 50,000/s.
#   4b, 7b. rows 4 and 7 over LONG_RECORDS (default 12 M) records: 2 M records at 1 M/s are 2 s, in which the
#      JIT compilers of both fresh JVMs take more CPU than the records (docs/benchmarks.md, "Records, wave 9" and
#      "Records without objects, wave 12"); the longer run is nearer the steady rate. LONG_RECORDS=0 leaves them out.
#   9. the floor under row 6: bare Unicorn from C (bench/hook_floor.c) with one code hook on the loop's body that
#      reads rdi and compares it, as the script does; no Java, no debugger. Hits per second.
# CPU per record on each side (what tells two builds apart on a busy machine): bench/records.sh.
# Speeds come from the agent's exit record (run_nanos: time in uc_emu_start, no network, no
# start-up) and from clock_gettime around uc_emu_start in C: the same span on both sides.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bin/hdbg-env.sh
hdbg_prepare
hdbg_require_packages libunicorn-dev gcc python3 >/dev/null || exit 1

REPEATS="${1:-5}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
SAMPLE=agent/src/main/resources/samples/loop.bin
gcc -O2 -o "$OUT/bare_unicorn" bench/bare_unicorn.c -lunicorn
gcc -O2 -o "$OUT/hook_floor" bench/hook_floor.c -lunicorn

LOOP_ITERATIONS=$((0x10000000))   # 805 M instructions
HOOK_ITERATIONS=$((0x200000))     # 2 M hits
IMMEDIATE_ITERATIONS=200000
LONG_RECORDS="${LONG_RECORDS:-$((0xC00000))}"   # 12.6 M records

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs the loop sample in a fresh agent with SCRIPT (bin/hdbg commands before g); prints
# "instructions-or-hits nanoseconds" taken from the exit record.
agent_run() {
    local iterations="$1" script="$2" port
    port=$((20000 + RANDOM % 20000))
    bin/hdbg-agent --sample loop --listen "127.0.0.1:$port" --once >"$OUT/agent.log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 100); do grep -q "listening on" "$OUT/agent.log" 2>/dev/null && break; sleep 0.1; done
    printf 'r rcx = 0n%s\n%s\ng\n' "$iterations" "$script" \
        | bin/hdbg --connect "127.0.0.1:$port" --batch - --json >"$OUT/host.json"
    wait "$pid" || true
    python3 - "$OUT/host.json" "$iterations" <<'PY'
import json, sys
# Streamed, each record line counted by its start (--json writes "type" first): the long rows' files hold 12 M lines.
count, exits, last = 0, [], []
for line in open(sys.argv[1]):
    if line.startswith(('{"type":"log"', '{"type":"script"')):
        count += 1
    elif line.startswith("{"):
        r = json.loads(line)
        exits += [r] if r["type"] == "exit" else []
        last = (last + [r])[-3:]
if not exits:
    sys.exit("no exit record: " + str(last))
print(sys.argv[2], exits[0]["run_nanos"], count)
PY
}

# One event of each kind, none of which the loop ever triggers (it only adds, decrements, jumps).
ARMED_NEVER_FIRING='!epthook 400100 log {rax}
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
!xsetbv log {rax}'

bare=(); bare_first=(); agent=(); cond=(); cond2=(); cond_rdi=(); logs=(); armed=(); scond=(); sprint=(); imm=(); floor=(); logs_long=(); sprint_long=()
for i in $(seq 1 "$REPEATS"); do
    read -r n ns first < <("$OUT/bare_unicorn" "$SAMPLE" "$LOOP_ITERATIONS")
    bare+=("$(python3 -c "print($n / $ns * 1e9)")")
    bare_first+=("$(python3 -c "print($n / $first * 1e9)")")
    read -r it ns _ < <(agent_run "$LOOP_ITERATIONS" "")
    agent+=("$(python3 -c "print((3 * $it + 3) / $ns * 1e9)")")
    read -r it ns _ < <(agent_run "$HOOK_ITERATIONS" '!epthook 40000a condition {31 c0}')
    cond+=("$(python3 -c "print($it / $ns * 1e9)")")
    read -r it ns _ < <(agent_run "$HOOK_ITERATIONS" '!epthook2 40000a condition {31 c0}')
    cond2+=("$(python3 -c "print($it / $ns * 1e9)")")
    read -r it ns _ < <(agent_run "$HOOK_ITERATIONS" '!epthook 40000a condition {48 8b 41 38 48 3d 45 23 01 00 0f 94 c0 0f b6 c0}')
    cond_rdi+=("$(python3 -c "print($it / $ns * 1e9)")")
    read -r it ns _ < <(agent_run "$LOOP_ITERATIONS" "$ARMED_NEVER_FIRING")
    armed+=("$(python3 -c "print((3 * $it + 3) / $ns * 1e9)")")
    read -r it ns count < <(agent_run "$HOOK_ITERATIONS" '!epthook 40000a log {rdi} imm no')
    [ "$count" -eq "$it" ] || { echo "expected $it log records, got $count" >&2; exit 1; }
    logs+=("$(python3 -c "print($it / $ns * 1e9)")")
    read -r it ns _ < <(agent_run "$HOOK_ITERATIONS" '!epthook 40000a script { if (@rdi == 0x12345) { pause(); } }')
    scond+=("$(python3 -c "print($it / $ns * 1e9)")")
    read -r it ns count < <(agent_run "$HOOK_ITERATIONS" '!epthook 40000a script { printf("%llx %llx\n", @rax, @rcx); } imm no')
    [ "$count" -eq "$it" ] || { echo "expected $it script records, got $count" >&2; exit 1; }
    sprint+=("$(python3 -c "print($it / $ns * 1e9)")")
    read -r it ns count < <(agent_run "$IMMEDIATE_ITERATIONS" '!epthook 40000a log {rdi} imm yes')
    [ "$count" -eq "$it" ] || { echo "expected $it log records, got $count" >&2; exit 1; }
    imm+=("$(python3 -c "print($it / $ns * 1e9)")")
    if [ "$LONG_RECORDS" -gt 0 ]; then
        read -r it ns count < <(agent_run "$LONG_RECORDS" '!epthook 40000a log {rdi} imm no')
        [ "$count" -eq "$it" ] || { echo "expected $it log records, got $count" >&2; exit 1; }
        logs_long+=("$(python3 -c "print($it / $ns * 1e9)")")
        read -r it ns count < <(agent_run "$LONG_RECORDS" '!epthook 40000a script { printf("%llx %llx\n", @rax, @rcx); } imm no')
        [ "$count" -eq "$it" ] || { echo "expected $it script records, got $count" >&2; exit 1; }
        sprint_long+=("$(python3 -c "print($it / $ns * 1e9)")")
    fi
    read -r n ns < <("$OUT/hook_floor" "$SAMPLE" "$HOOK_ITERATIONS" 1)
    floor+=("$(python3 -c "print($n / $ns * 1e9)")")
done

b=$(printf '%s\n' "${bare[@]}" | median)
bf=$(printf '%s\n' "${bare_first[@]}" | median)
agent_runs=$(IFS=,; echo "${agent[*]}")
a=$(printf '%s\n' "${agent[@]}" | median)
c=$(printf '%s\n' "${cond[@]}" | median)
l=$(printf '%s\n' "${logs[@]}" | median)
c2=$(printf '%s\n' "${cond2[@]}" | median)
cr=$(printf '%s\n' "${cond_rdi[@]}" | median)
r=$(printf '%s\n' "${armed[@]}" | median)
sc=$(printf '%s\n' "${scond[@]}" | median)
sp=$(printf '%s\n' "${sprint[@]}" | median)
im=$(printf '%s\n' "${imm[@]}" | median)
fl=$(printf '%s\n' "${floor[@]}" | median)
if [ "$LONG_RECORDS" -eq 0 ]; then logs_long=(0); sprint_long=(0); fi
ll=$(printf '%s\n' "${logs_long[@]}" | median)
spl=$(printf '%s\n' "${sprint_long[@]}" | median)
python3 - "$b" "$a" "$c" "$l" "$REPEATS" "$c2" "$r" "$sc" "$sp" "$im" "$fl" "$ll" "$spl" "$LONG_RECORDS" "$cr" "$bf" "$agent_runs" <<'PY'
import sys
b, a, c, l, n, c2, r, sc, sp, im, fl, ll, spl, long_records, cr, bf = map(float, sys.argv[1:17])
agent_runs = ", ".join(f"{float(v)/1e6:.0f}" for v in sys.argv[17].split(","))
print(f"hdbg benchmark, median of {int(n)} runs")
print(f"{'row':<44} {'result':>18} {'target':>12}")
print(f"{'bare Unicorn (C), loop sample':<44} {b/1e6:>12.0f} Minstr/s {'':>12}")
print(f"{'  its first call alone (the agent runs one)':<44} {bf/1e6:>12.0f} Minstr/s {'':>12}")
print(f"{'agent, loop sample, no events':<44} {a/1e6:>12.0f} Minstr/s {'':>12}")
print(f"{'  each run':<44} {agent_runs:>27}")
print(f"{'  ratio agent / bare':<44} {a/b:>18.3f} {'>= 0.9':>12}")
print(f"{'agent, hot !epthook, false condition':<44} {c:>13,.0f} hits/s {'>= 1,500,000':>12}")
print(f"{'agent, hot !epthook2, false condition':<44} {c2:>13,.0f} hits/s {'>= 500,000':>12}")
print(f"{'agent, hot !epthook, condition reading rdi':<44} {cr:>13,.0f} hits/s {'':>12}")
print(f"{'agent, hot !epthook, log rdi, imm no':<44} {l:>11,.0f} records/s {'>= 1,000,000':>12}")
if long_records:
    print(f"{f'  the same, {long_records / 1e6:.1f} M records':<44} {ll:>11,.0f} records/s {'':>12}")
print(f"{'agent, loop, 18 armed events never firing':<44} {r/1e6:>12.0f} Minstr/s {'':>12}")
print(f"{'  ratio armed / no events':<44} {r/a:>18.3f} {'>= 0.9':>12}")
print(f"{'agent, hot !epthook, false script condition':<44} {sc:>13,.0f} hits/s {'>= 5,000,000':>12}")
print(f"{'  ratio script / machine-code condition':<44} {sc/c:>18.3f} {'>= 3':>12}")
print(f"{'  floor: bare Unicorn (C), hook reading rdi':<44} {fl:>13,.0f} hits/s {'':>12}")
print(f"{'agent, hot !epthook, script printf, imm no':<44} {sp:>11,.0f} records/s {'>= 1,000,000':>12}")
if long_records:
    print(f"{f'  the same, {long_records / 1e6:.1f} M records':<44} {spl:>11,.0f} records/s {'':>12}")
print(f"{'agent, hot !epthook, log rdi, imm yes':<44} {im:>11,.0f} records/s {'>= 50,000':>12}")
PY
