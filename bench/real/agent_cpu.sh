# Sourced by bench/real_cpu.sh and bench/real_pairs.sh (OUT set, run from the checkout's root): one agent's run of a
# program, by CPU time.
#
#   hdbg_cpu TREE [AGENT_OPTION...] -- PROGRAM [ARG...]
#
# Starts TREE's bin/hdbg-agent --elf PROGRAM --root / --once with the options, attaches perf stat --per-thread once it
# listens, sends it g from TREE's bin/hdbg and prints "run_ms R exec_cpu_ms E all_cpu_ms A compiler_ms C": run_nanos
# (wall time in uc_emu_start), the CPU time of the agent's hdbg-execution thread (translated code, Unicorn's helpers,
# the system calls in Java, and whatever the JVM does on that thread: class loading, the interpreter), of all its
# threads, and of its C1/C2 compiler threads. Fails when the program did not exit with status 0.
hdbg_cpu() {
    local tree="$1" options=() address="" pid jpid perf
    shift
    while [ "$1" != "--" ]; do options+=("$1"); shift; done
    shift
    # Port 0: the agent picks a free port and says which; a guessed one could be another agent's.
    "$tree/bin/hdbg-agent" ${options[@]+"${options[@]}"} --elf "$1" --root / --listen "127.0.0.1:0" --once -- "${@:2}" \
        >"$OUT/agent.log" 2>&1 &
    pid=$!
    address="$(hdbg_agent_address_in "$OUT/agent.log" "$pid")"
    jpid=$(pgrep -P "$pid" java || echo "$pid")
    perf stat --per-thread -x, -e task-clock -p "$jpid" -o "$OUT/stat.txt" &
    perf=$!
    sleep 0.2
    printf 'g\n' | "$tree/bin/hdbg" --connect "$address" --batch - --json >"$OUT/host.json"
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
