# Sourced by bin/hdbg, bin/hdbg-agent and bin/test: finds Java 25, makes sure the native
# libraries are installed, and builds the project when it has not been built yet.
# shellcheck shell=bash

HDBG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

hdbg_java_major() {
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
}

# JAVA_HOME when it is 25 or newer, else the first /usr/lib/jvm/*25* that works.
hdbg_find_java() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        local major
        major="$(hdbg_java_major "$JAVA_HOME/bin/java")"
        if [ -n "$major" ] && [ "${major%%.*}" -ge 25 ] 2>/dev/null; then
            echo "$JAVA_HOME"
            return 0
        fi
    fi
    local candidate
    for candidate in /usr/lib/jvm/*25*; do
        if [ -x "$candidate/bin/java" ]; then
            echo "$candidate"
            return 0
        fi
    done
    echo "hdbg: no Java 25 found (JAVA_HOME is ${JAVA_HOME:-unset}; nothing under /usr/lib/jvm/*25*)." >&2
    echo "hdbg: install a JDK 25, e.g. Temurin 25, and set JAVA_HOME to it." >&2
    return 1
}

# Installs Debian packages that are missing: as root directly, otherwise prints the command.
hdbg_require_packages() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        echo "hdbg: installing ${missing[*]} ..." >&2
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -o DPkg::Lock::Timeout=300 -y -qq "${missing[@]}" >&2 || {
            echo "hdbg: installing ${missing[*]} failed" >&2
            return 1
        }
    else
        echo "hdbg: missing packages: ${missing[*]}. Install them with:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        return 1
    fi
}

# Whether the jars and their runtime classpath are missing or older than the sources.
hdbg_build_needed() {
    local marker="$HDBG_ROOT/host/target/lib"
    [ ! -d "$marker" ] || [ -n "$(find "$HDBG_ROOT/proto/src" "$HDBG_ROOT/common/src/main" "$HDBG_ROOT/agent/src/main" \
            "$HDBG_ROOT/host/src/main" -newer "$marker" -type f -print -quit 2>/dev/null)" ]
}

# Builds the jars and their runtime classpath when they are missing or older than the sources. One build at a time
# per checkout: an agent and a host started together on a fresh clone would otherwise build into the same target
# directories at once, and one could run classes the other is deleting. The second waits, then finds nothing to do.
hdbg_build_if_needed() {
    hdbg_build_needed || return 0
    local lock="$HDBG_ROOT/.hdbg-build.lock"
    (
        flock 9
        hdbg_build_needed || exit 0
        echo "hdbg: building (first run or sources changed) ..." >&2
        (cd "$HDBG_ROOT" && JAVA_HOME="$HDBG_JAVA_HOME" ./mvnw -q -B -DskipTests package >&2) || {
            echo "hdbg: the build failed; run ./mvnw -B package to see why" >&2
            exit 1
        }
        touch "$HDBG_ROOT/host/target/lib"
        hdbg_train
    ) 9>"$lock"
}

# MODULE's jar and its runtime dependencies' jars, in a fixed order: an AOT cache holds only classes from jars, and is
# valid only for the class path it was made with.
hdbg_jars() {
    local module="$1" jar path=""
    for jar in "$HDBG_ROOT/$module/target/hdbg-$module-"*.jar "$HDBG_ROOT/$module/target/lib/"*.jar; do
        path="${path:+$path:}$jar"
    done
    echo "$path"
}

HDBG_HOST_AOT="$HDBG_ROOT/host/target/hdbg-host.aot"
HDBG_HOST_GDB_AOT="$HDBG_ROOT/host/target/hdbg-host-gdb.aot"
HDBG_AGENT_AOT="$HDBG_ROOT/agent/target/hdbg-agent.aot"
HDBG_AGENT_ELF_AOT="$HDBG_ROOT/agent/target/hdbg-agent-elf.aot"

# Waits up to $2 tenths of a second for process $1 to end, then kills it; fails when it had to be killed.
hdbg_stop_within() {
    local pid="$1" tenths="$2" i
    for ((i = 0; i < tenths; i++)); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 1
}

# The port a process started in the background says it listens on: waits until LOG has a line SED_SCRIPT prints a
# port from, or PID ended, at most a minute; prints the port (nothing when there is none).
hdbg_port_in() {
    local log="$1" pid="$2" sed_script="$3" port="" i
    for ((i = 0; i < 1200; i++)); do
        port="$(sed -n "$sed_script" "$log" 2>/dev/null)"
        [ -n "$port" ] && break
        if ! kill -0 "$pid" 2>/dev/null; then
            # Gone: it may have written its line between the read above and its end, so the log is read once more
            # (under load that window lost a training's bridge session, LauncherOptionsTest).
            port="$(sed -n "$sed_script" "$log" 2>/dev/null)"
            break
        fi
        sleep 0.05
    done
    printf '%s' "$port"
}

# The address an agent started in the background with `--listen 127.0.0.1:0` says it listens on in LOG (as
# hdbg_port_in waits for it): the trainings' and the benchmarks' agents pick their port so that none reaches another's.
hdbg_agent_address_in() {
    local port
    port="$(hdbg_port_in "$1" "$2" 's/^hdbg-agent listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p')"
    if [ -n "$port" ]; then
        printf '127.0.0.1:%s' "$port"
    fi
}

# JDK 25's AOT caches for the host and the agent (JEP 483 and 515: classes loaded and linked, and method profiles,
# from a training run), made right after a build by one scripted session: an agent on the 'loop' sample started with
# -XX:AOTCacheOutput, driven by a host started with it too through the verbs a session uses most (3,300 lines of r, t,
# p, db, u, ...), then by a second host through the agent's hot paths (hot events on the loop's body with a
# machine-code condition, a script condition, a log and a script printf batched, then g to the program's end). They
# take both processes' start-up and the JIT's warm-up of their first thousands of requests or hits down
# (docs/benchmarks.md, "Request latency, wave 4" and "Agent AOT cache, wave 5"). Beside it, when gdb is installed,
# hdbg_train_bridge makes `--gdb`'s own cache. Best effort and bounded: every step has a time limit (a fresh clone's
# first start must neither fail nor hang here), and a cache whose training did not end cleanly is deleted, so the
# launcher runs without it as before. More training is not better by itself: JDK 25 compiles every method its
# training compiled with C2 as soon as it runs about 2,000 times, with the training's profile (and sends every other
# trained method through tier 2, profiling it 100-250 times later than untrained code), so what the training makes hot
# costs every fresh run C2 time ("Warm-up of fresh JVMs, wave 9").
hdbg_train() {
    local work agent address i agent_ok=0 bridge="" jit
    local elf
    # Sourced by hand (docs/benchmarks.md's reproductions), HDBG_JAVA_HOME may be unset: the training then ran
    # /bin/java, which was not a JDK 25, and left no cache at all. Find one first, or keep the caches there are.
    if [ -z "${HDBG_JAVA_HOME:-}" ]; then
        HDBG_JAVA_HOME="$(hdbg_find_java)" || return 1
    fi
    rm -f "$HDBG_HOST_AOT" "$HDBG_HOST_GDB_AOT" "$HDBG_AGENT_AOT" "$HDBG_AGENT_ELF_AOT"
    work="$(mktemp -d)"
    if command -v gdb >/dev/null 2>&1; then
        hdbg_train_bridge "$work" &
        bridge=$!
    fi
    hdbg_train_elf "$work" &
    elf=$!
    : >"$work/agent.log"
    mapfile -t jit < <(hdbg_agent_jit --sample loop)
    "$HDBG_JAVA_HOME/bin/java" -XX:AOTCacheOutput="$HDBG_AGENT_AOT" -Xlog:aot*=off "${HDBG_JVM_COMMON[@]}" \
        "${jit[@]}" "${HDBG_AGENT_TRAINING_JIT[@]}" --enable-native-access=ALL-UNNAMED -cp "$(hdbg_jars agent)" \
        dev.hdbg.agent.AgentMain --sample loop --listen 127.0.0.1:0 >"$work/agent.log" 2>&1 &
    agent=$!
    address="$(hdbg_agent_address_in "$work/agent.log" "$agent")"
    if [ -n "$address" ]; then
        hdbg_train_commands "$address" "$work"
        printf '%s\n' 'r rcx = 0n300000' 'r rip = 400000' '!epthook 40000a condition {31 c0}' \
            '!epthook 40000a script { if (@rdi == 0x12345) { pause(); } }' '!epthook 40000a log {rdi} imm no' \
            '!epthook 40000a script { printf("%llx %llx\n", @rax, @rcx); } imm no' 'g' >"$work/events.txt"
        timeout -k 10 300 "$HDBG_JAVA_HOME/bin/java" "${HDBG_JVM_COMMON[@]}" --enable-native-access=ALL-UNNAMED \
            -cp "$(hdbg_jars host)" \
            dev.hdbg.host.cli.HdbgMain --connect "$address" --batch "$work/events.txt" --json \
            >"$work/events.json" 2>&1 && grep -q '"type":"exit"' "$work/events.json" && agent_ok=1
    fi
    # The agent writes its cache as it exits (after SIGTERM too); a JVM still busy after two minutes is killed.
    kill "$agent" 2>/dev/null || true
    hdbg_stop_within "$agent" 1200 || agent_ok=0
    [ "$agent_ok" = 1 ] || rm -f "$HDBG_AGENT_AOT"
    if [ -n "$bridge" ]; then
        wait "$bridge" 2>/dev/null || true
    fi
    wait "$elf" 2>/dev/null || true
    rm -rf "$work"
    return 0
}

# The commands' training batch: 300 times the verbs a session uses most. It trains the classes a batch loads and links,
# not profiles: the batch host it trains compiles with C1 alone (HDBG_HOST_BATCH_JIT), which keeps none. (Until stop
# 45 it ended with 6,000 `r rip` and 6,000 `t`, to take the request path past C2's threshold in the training: "Fresh
# batches, wave 14" in docs/benchmarks.md.)
hdbg_train_batch() {
    local i
    for ((i = 0; i < 300; i++)); do
        printf '%s\n' 'r rip' 'r' 't' 'p' 'db rsp' 'dq rsp l 4' 'u rip' '? rax + 1' 'r rax = 1' 'bl' 'events'
    done
}

# The commands' cache (HDBG_HOST_AOT): a host started with -XX:AOTCacheOutput runs hdbg_train_batch's lines as a
# `--batch FILE --json` on the agent at ADDRESS ($1), WORK ($2) holding the file, with the JVM options bin/hdbg runs
# such a host with (hdbg_host_jvm_options): a cache's profiles are those of the options it was trained with, and the
# batch host's scale the thresholds of the JDK's start-up code ("Fresh batches, wave 16" in docs/benchmarks.md).
hdbg_train_commands() {
    local address="$1" work="$2" options
    hdbg_train_batch >"$work/train.txt"
    mapfile -t options < <(hdbg_host_jvm_options --connect "$address" --batch "$work/train.txt" --json)
    timeout -k 10 300 "$HDBG_JAVA_HOME/bin/java" -XX:AOTCacheOutput="$HDBG_HOST_AOT" -Xlog:aot*=off \
        "${options[@]}" --enable-native-access=ALL-UNNAMED -cp "$(hdbg_jars host)" dev.hdbg.host.cli.HdbgMain \
        --connect "$address" --batch "$work/train.txt" --json >/dev/null 2>&1 || rm -f "$HDBG_HOST_AOT"
}

# The cache of an agent started with --elf (HDBG_AGENT_ELF_AOT), beside hdbg_train's (run alongside it, in the
# background): the loop sample makes no system call, so the Linux system calls' classes and their handlers' lambdas
# (about 130 of them, made at a process's first call, inside the guest's run) were loaded, linked and spun by the
# first `g` of every program, and its first calls ran in the interpreter ("Real programs' fixed costs, wave 12" in
# docs/benchmarks.md). An agent started with -XX:AOTCacheOutput on Debian's sort (dynamically linked: the loader's
# mmap, openat, read and fstat) answers a short session of requests, runs it to its end, reads libc's symbols (an
# `x`: a module's symbols are read when first asked for, so without it the cache would hold none of the ELF symbol
# reader and a session's first `x` would load it from the jar), then starts sha256sum and sort again and runs each to
# its end, and busybox md5sum, a static program, when there is one. Best effort and bounded like hdbg_train; without
# the cache an --elf agent runs on the loop sample's.
hdbg_train_elf() {
    local work="$1" agent address sort sum busybox i ok=0 jit exits=3
    sort="$(command -v sort)" && sum="$(command -v sha256sum)" || return 0
    busybox="$(command -v busybox || true)"
    mkdir -p "$work/elf"
    for ((i = 0; i < 20000; i++)); do
        printf '%d line %d of the training input\n' $(((i * 7919) % 20000)) "$i"
    done >"$work/elf/input.txt"
    : >"$work/elf/agent.log"
    mapfile -t jit < <(hdbg_agent_jit --elf "$sort")
    "$HDBG_JAVA_HOME/bin/java" -XX:AOTCacheOutput="$HDBG_AGENT_ELF_AOT" -Xlog:aot*=off "${HDBG_JVM_COMMON[@]}" \
        "${jit[@]}" --enable-native-access=ALL-UNNAMED -cp "$(hdbg_jars agent)" dev.hdbg.agent.AgentMain \
        --elf "$sort" --root / --listen 127.0.0.1:0 -- "$work/elf/input.txt" >"$work/elf/agent.log" 2>&1 &
    agent=$!
    address="$(hdbg_agent_address_in "$work/elf/agent.log" "$agent")"
    if [ -n "$address" ]; then
        for ((i = 0; i < 30; i++)); do
            printf '%s\n' 'r rip' 'r' 't' 'db rsp' 'dq rsp l 4' 'u rip' '? rax + 1' 'bl' 'events'
        done >"$work/elf/train.txt"
        printf '%s\n' 'g' 'x libc!mallo*' ".start path $sum $work/elf/input.txt" 'g' \
            ".start path $sort -r $work/elf/input.txt" 'g' >>"$work/elf/train.txt"
        if [ -n "$busybox" ]; then
            # A static program (Debian's busybox-static) reads /proc/self/exe as it starts, which a dynamic one does
            # not: without it the virtual /proc's classes came from the jar inside every static program's run
            # (docs/benchmarks.md, "A program's first milliseconds, stop 43").
            printf '%s\n' ".start path $busybox md5sum $work/elf/input.txt" 'g' >>"$work/elf/train.txt"
            exits=4
        fi
        timeout -k 10 300 "$HDBG_JAVA_HOME/bin/java" "${HDBG_JVM_COMMON[@]}" --enable-native-access=ALL-UNNAMED \
            -cp "$(hdbg_jars host)" dev.hdbg.host.cli.HdbgMain --connect "$address" --batch "$work/elf/train.txt" \
            --json >"$work/elf/session.json" 2>&1 && [ "$(grep -c '"type":"exit"' "$work/elf/session.json")" = "$exits" ] && ok=1
    fi
    kill "$agent" 2>/dev/null || true
    hdbg_stop_within "$agent" 1200 || ok=0
    [ "$ok" = 1 ] || rm -f "$HDBG_AGENT_ELF_AOT"
}

# The cache of `bin/hdbg --gdb` (HDBG_HOST_GDB_AOT), beside hdbg_train's (run alongside it, in the background): a host
# started with -XX:AOTCacheOutput as `--gdb 127.0.0.1:0` serves one gdb session (stepi, registers, memory, a
# breakpoint, continue to it and a step over it as after gdb's `break main` and `continue`, stepi, kill) on
# an agent of its own, started without a cache output: the bridge's session trained into the agent's or the batch's
# cache made fresh `r rip` and `t` batches compile more with C2 (JEP 515 compiles every method the training compiled
# with C2 as soon as it runs 2,000 times), so the bridge has a cache of its own and the others stay as they were
# (docs/benchmarks.md, "Warm-up of fresh JVMs, wave 9"). The bridge trains with the JVM options it runs with
# (hdbg_host_jvm_options): trained without `--gdb`'s, its profiles said the loop's poll never asks whether the compilers
# are busy, and every fresh session's C2 code of that loop was thrown away and compiled again ("A fresh bridge, wave
# 14"). Best effort and bounded like hdbg_train.
hdbg_train_bridge() {
    local work="$1" agent address gdb_port="" host i ok=0 options jit
    : >"$work/bridge-agent.log"
    : >"$work/bridge.log"
    mapfile -t jit < <(hdbg_agent_jit --sample loop)
    "$HDBG_JAVA_HOME/bin/java" "${HDBG_JVM_COMMON[@]}" "${jit[@]}" --enable-native-access=ALL-UNNAMED \
        -cp "$(hdbg_jars agent)" dev.hdbg.agent.AgentMain --sample loop --listen 127.0.0.1:0 \
        >"$work/bridge-agent.log" 2>&1 &
    agent=$!
    address="$(hdbg_agent_address_in "$work/bridge-agent.log" "$agent")"
    if [ -n "$address" ]; then
        mapfile -t options < <(hdbg_host_jvm_options --connect "$address" --gdb 127.0.0.1:0)
        timeout -k 10 300 "$HDBG_JAVA_HOME/bin/java" -XX:AOTCacheOutput="$HDBG_HOST_GDB_AOT" -Xlog:aot*=off \
            "${options[@]}" --enable-native-access=ALL-UNNAMED -cp "$(hdbg_jars host)" dev.hdbg.host.cli.HdbgMain \
            --connect "$address" --gdb 127.0.0.1:0 >"$work/bridge.log" 2>&1 &
        host=$!
        gdb_port="$(hdbg_port_in "$work/bridge.log" "$host" 's/^gdb: listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p')"
        if [ -n "$gdb_port" ]; then
            # gdb's kill ends the session: the bridge exits 0 and the JVM writes the cache.
            timeout -k 5 120 gdb -batch -nx -ex 'set confirm off' -ex "target remote 127.0.0.1:$gdb_port" \
                -ex "stepi $HDBG_TRAIN_GDB_STEPS" -ex 'info registers' -ex 'x/8xg $rsp' -ex 'x/4i $pc' \
                -ex "break *$HDBG_TRAIN_GDB_BREAK" -ex 'continue' -ex 'stepi 2' -ex 'delete' \
                -ex "stepi $HDBG_TRAIN_GDB_STEPS" -ex 'kill' >"$work/gdb.log" 2>&1 && ok=1
        fi
        wait "$host" 2>/dev/null || ok=0
    fi
    kill "$agent" 2>/dev/null || true
    hdbg_stop_within "$agent" 100 || true
    [ "$ok" = 1 ] || rm -f "$HDBG_HOST_GDB_AOT"
}

# Steps of each of the two `stepi` of the bridge's training session.
HDBG_TRAIN_GDB_STEPS=1500
# The training session's breakpoint: an instruction of the loop sample's body (RCX counts down from 0x1000000), so
# `continue` stops there at the loop's next turn; the `stepi` after it steps over it (gdb removes it, steps, inserts
# it), and it is deleted before the last `stepi`, which would stop at it every third instruction. Without a
# breakpoint in the training, a session's first `stepi` after `break main` and `continue` loaded the breakpoint
# requests' classes (15 of them, a lambda spun) in the measured steps ("A fresh bridge, wave 14" in
# docs/benchmarks.md).
HDBG_TRAIN_GDB_BREAK=0x40000a

# Whether the AOT cache $1 is there and newer than every jar it was made from (a jar rebuilt since would make the JVM
# refuse it anyway, after reading it: $2 is the module whose target holds them) and than every compiled class of the
# modules it runs (a `./mvnw compile` leaves the jars stale: the program then runs from its classes, as without a
# cache).
hdbg_aot_usable() {
    local cache="$1" module="$2"
    [ -f "$cache" ] && [ -z "$(find "$HDBG_ROOT/$module/target" -maxdepth 2 -name '*.jar' -newer "$cache" \
        -print -quit 2>/dev/null)" ] && [ -z "$(find "$HDBG_ROOT/$module/target/classes" "$HDBG_ROOT/common/target/classes" \
        "$HDBG_ROOT/proto/target/classes" -newer "$cache" -name '*.class' -print -quit 2>/dev/null)" ]
}

hdbg_prepare() {
    HDBG_JAVA_HOME="$(hdbg_find_java)" || exit 1
    export HDBG_JAVA_HOME
    hdbg_require_packages libunicorn2 libcapstone4 binutils || exit 1
    hdbg_build_if_needed || exit 1
}

# Every agent's compiler options; HDBG_AGENT_HIT_JIT or HDBG_AGENT_ELF_JIT (below) join them.
HDBG_AGENT_JIT=(-XX:CompileCommand=quiet)
# The hot exit path compiles in the foreground in an agent of a sample or a raw image: the thread that makes one of
# these methods hot (a code hook's upcall, the exit hooks, matching events, running actions and scripts) waits for its
# compiled code instead of running on in the interpreter and through the FFM upcall's method handles while the compiler
# works: most of the third less CPU the execution thread takes for row 6 of bench/run.sh (docs/benchmarks.md, "Script
# hits, wave 6"). These methods only: the whole agent in the foreground (-XX:-BackgroundCompilation) made 2,000 `t`
# 45-55 % slower in wall time, each request waiting for its own compiles. Not for --elf: a Linux program's system
# calls run the exit hooks a few thousand times in a short run, and waiting for their compiles cost busybox md5sum and
# sha256sum of 4 MiB 4 to 5 % of their run ("The exit path's compiles of a Linux program, stop 32").
HDBG_AGENT_HIT_JIT=()
for pattern in 'dev.hdbg.agent.unicorn.Trampolines$Code::invoke' 'dev.hdbg.agent.vmx.ExitHooks::*' \
        'dev.hdbg.agent.debugger.ActionRunner::*' 'dev.hdbg.agent.debugger.EventRegistry::*' \
        'dev.hdbg.agent.debugger.Kicker*::*' 'dev.hdbg.agent.debugger.ScriptActions*::*' \
        'dev.hdbg.agent.debugger.GuestScriptHost::*' 'dev.hdbg.agent.script.*::*'; do
    HDBG_AGENT_HIT_JIT+=("-XX:CompileCommand=BackgroundCompilation,$pattern,false")
done
unset pattern
# The hit path's compiles must not depend on what the AOT cache's training happened to do (docs/benchmarks.md, "Trained
# hits, wave 16"). JDK 25 compiles a trained method straight from tier 2 to C2 once every class its training's C2
# compile depended on is initialized in this run, and until then leaves it at tier 2 (C1 with counters). The agent's
# training runs every kind of action on one address, so its C2 compile of the code hook's upcall
# (Trampolines$Code::invoke) inlined runActions and with it the script's, the printf's and the records' classes (164
# of them): an agent whose events only test a condition never initializes them, and its upcall stayed at tier 2
# (through a whole 2 M-hit run, with one training's cache). So the training compiles runActions alone
# (HDBG_AGENT_TRAINING_JIT, below); a run may still inline it, as its own profile says (kept alone in runs too, a
# script printf's hit took 5-8 % more CPU in pairs against main). And the training's profiles take every branch of the
# register reads (the batch made, zeroed, read back), so C2 inlined those paths until the compile reached its node
# budget (NodeCountInliningCutoff) and left out the register batch's downcall: called through a method handle that is
# no longer a constant (the session acquired and released, the segments checked). A register batch compiled alone has
# room for its downcall, inlined with its handle a constant, in training and in runs.
for method in 'dev.hdbg.agent.unicorn.Registers::readBatch' 'dev.hdbg.agent.unicorn.Registers::writeBatch'; do
    HDBG_AGENT_JIT+=("-XX:CompileCommand=dontinline,$method")
done
unset method
HDBG_AGENT_TRAINING_JIT=(-XX:CompileCommand=dontinline,dev.hdbg.agent.debugger.ActionRunner::runActions)
# An agent started with --elf runs a Linux program, most often to its end (bench/real.sh, bench/programs.sh): there C2
# compiles later, after ten times the invocations (four times the invocations and loops together, ten times a loop's
# back edges). In a run of a fifth of a second to a few seconds, C2's compiles of the system-call path cost the 2 cores
# more than they gave back: busybox md5sum of 4 MiB took 304 and 604 ms of C2 and C1 CPU beside 142 and 193 ms of the
# execution thread, 146 and 162 ms beside 124 and 127 with these thresholds ("Real programs, wave 13" in
# docs/benchmarks.md). A hot path still reaches C2 (a hot event's 2 M hits pass 50,000 calls in the first 3 %); the
# loop sample's agents (bench/run.sh) keep the defaults.
HDBG_AGENT_ELF_JIT=(-XX:Tier4InvocationThreshold=50000 -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=400000)
# The whole agent gets these thresholds, the path that serves the host's requests too. Wave 14 scaled Netty's,
# protobuf's, the wire's, the server's, NIO's and the futures' back to the defaults, so that a fresh batch's request
# path reached C2 inside the batch; measured side by side on a quiet machine (docs/benchmarks.md, "After the wave 16
# merges") that bought no wall time for 10,000 `r rip` or `t` and cost the agent 25-70 us of CPU a request, and it
# doubled the compilers' CPU beside a real program's guest (busybox md5sum of 4 MiB: 174-206 against 97-99 ms).
# Both JVMs, in training and in use: no Netty leak detection. Its default samples one buffer in 128 and records a
# stack trace (a Throwable) when it is made and when it is released: about 1,000 stack traces over 20,000 `r rip` on
# the agent's event loop, 2.5 % of its CPU. The tests keep it (bin/test runs Maven, not these launchers): it finds
# real leaks there. HDBG_LEAK_DETECTION=simple (or advanced, paranoid) turns it on for a run that hunts a leak.
HDBG_JVM_COMMON=("-Dio.netty.leakDetection.level=${HDBG_LEAK_DETECTION:-disabled}")
# Both JVMs: no JFR events from Netty's buffer pool. Loading its event classes at the first connection started JFR's
# metadata (annotations parsed, about 15 proxies spun, their methods compiled): about 60 ms of the agent's event loop
# at each host's connection ("Real programs' fixed costs, wave 12"), and on the host's own thread before its first
# request. Neither records anything with JFR.
HDBG_JVM_COMMON+=(-Dio.netty.jfr.enabled=false)

# Prints its arguments one a line, and nothing at all for none: `printf '%s\n'` with no arguments still prints one
# empty line, which java, given the lines as options, would take for its main class.
hdbg_lines() {
    if [ "$#" -gt 0 ]; then
        printf '%s\n' "$@"
    fi
}

# The JVM options of MODULE's launcher, one a line (the training's and the run's; LauncherOptionsTest reads them).
hdbg_jvm_options() {
    hdbg_lines "${HDBG_JVM_COMMON[@]}"
    if [ "$1" = agent ]; then
        hdbg_lines "${HDBG_AGENT_JIT[@]}" "${HDBG_AGENT_HIT_JIT[@]}"
    fi
}

# Whether the arguments after the first hold the option $1, alone or as $1=VALUE.
hdbg_has_option() {
    local name="$1" arg
    shift
    for arg in "$@"; do
        case "$arg" in
            "$name" | "$name"=*) return 0 ;;
        esac
    done
    return 1
}

# Whether the host's arguments $@ start the gdb bridge (--gdb).
hdbg_gdb_host() {
    hdbg_has_option --gdb "$@"
}

# Whether the host's arguments $@ run a command file (--batch).
hdbg_batch_host() {
    hdbg_has_option --batch "$@"
}

# The host's AOT cache for the arguments $@: the gdb bridge's for `--gdb`, the commands' otherwise.
hdbg_host_cache() {
    if hdbg_gdb_host "$@"; then
        echo "$HDBG_HOST_GDB_AOT"
    else
        echo "$HDBG_HOST_AOT"
    fi
}

# The host's JVM options for the arguments $@ beyond HDBG_JVM_COMMON, one a line: `--gdb`'s loop does not poll its
# selector while the JVM's compilers are busy. A fresh bridge runs three processes on the cores (gdb, the bridge, the
# agent) while its C2 compiles for 2-4 s of CPU: each poll's yield handed the core to the compilers and came back late
# (docs/benchmarks.md, "Fresh sessions, wave 13"). A batch keeps polling throughout: its polls take most replies even
# while it warms up ("After the wave 12 merges").
hdbg_host_options() {
    if hdbg_gdb_host "$@"; then
        echo "-Dhdbg.pollBeforeBlockWhileCompiling=false"
    else
        hdbg_lines "${HDBG_HOST_STARTUP_ONLY_JIT[@]}"
        if hdbg_batch_host "$@" && [ "${HDBG_BATCH_C2:-0}" != 1 ]; then
            hdbg_lines "${HDBG_HOST_BATCH_JIT[@]}"
        fi
    fi
}

# A batch host compiles with C1 alone. In a fresh `--batch` of 10,000 `r rip` C2 took 1.4 s of CPU (469 compiles,
# spread over Netty, the commands, protobuf and the JDK) beside the batch thread's 1.5 s, on 2 cores shared with the
# agent, and C1's profiled code (tier 3) ran the requests until then. C1 alone: a quarter less wall time for 10,000
# `r rip` (107 against 147 us, medians of ten alternating pairs), `t` 15 % faster, still a little faster after
# 50,000 `r rip`, half the host's CPU; two million log records within this machine's spread (0.8 to 1.0 of the
# tiered host's records/s). What it costs: a stream of tens of millions of records, where C2's code of the record
# path pays (12.6 million: 1.9-2.3 against 2.4-2.8 M records/s); HDBG_BATCH_C2=1 keeps C2 for such a batch
# (docs/benchmarks.md, "A batch host without C2, stop 45"). The prompt keeps C2 (a `.gdb` bridge started there serves
# gdb for a whole session), as does `--gdb`.
HDBG_HOST_BATCH_JIT=(-XX:TieredStopAtLevel=1)

# All the host's JVM options for the arguments $@ but its cache's, one a line: HDBG_JVM_COMMON and hdbg_host_options.
# hdbg_run gives them to the host, and the bridge's training runs with them.
hdbg_host_jvm_options() {
    hdbg_lines "${HDBG_JVM_COMMON[@]}"
    hdbg_host_options "$@"
}

# The commands' host (not --gdb's): the JDK's code that only its start-up runs compiles with C2 a hundred times later,
# which is never. Spinning the ~90 classes the AOT cache does not hold (lambda forms, a type switch, picocli's
# annotation proxies, FFM stubs: the class-file API), reading annotations and loading classes from the jars is hot for
# the first second, and C2 then compiled it on a core the batch needed: 0.7 s of C2 for jdk.internal.classfile alone
# in a fresh 10,000 `r rip` (JFR jdk.Compilation; docs/benchmarks.md, "Fresh batches, wave 14"). Since stop 45 a
# batch host has no C2 at all (HDBG_HOST_BATCH_JIT): there this scales C1's thresholds, and it matters to the prompt.
HDBG_HOST_STARTUP_ONLY_JIT=(-XX:CompileCommand=quiet)
for pattern in 'jdk.internal.classfile.*::*' 'java.lang.reflect.Executable::*' 'java.lang.reflect.Proxy*::*' \
        'sun.reflect.annotation.*::*' 'java.util.jar.*::*' 'java.util.zip.*::*' 'jdk.internal.foreign.abi.*::*'; do
    HDBG_HOST_STARTUP_ONLY_JIT+=("-XX:CompileCommand=CompileThresholdScaling,$pattern,100.0")
done
unset pattern

# Whether the agent's arguments $@ start a Linux program (--elf, before any `--` that begins the program's own).
hdbg_elf_agent() {
    local arg
    for arg in "$@"; do
        case "$arg" in
            --) return 1 ;;
            --elf | --elf=*) return 0 ;;
        esac
    done
    return 1
}

# The agent's AOT cache for the arguments $@: the Linux programs' for `--elf` when it is usable (trained), the loop
# sample's otherwise.
hdbg_agent_cache() {
    if hdbg_elf_agent "$@" && hdbg_aot_usable "$HDBG_AGENT_ELF_AOT" agent; then
        echo "$HDBG_AGENT_ELF_AOT"
        return 0
    fi
    echo "$HDBG_AGENT_AOT"
}

# The agent's compiler options for the arguments $@, one a line: HDBG_AGENT_JIT, and HDBG_AGENT_ELF_JIT for --elf,
# HDBG_AGENT_HIT_JIT for the others.
hdbg_agent_jit() {
    hdbg_lines "${HDBG_AGENT_JIT[@]}"
    if hdbg_elf_agent "$@"; then
        hdbg_lines "${HDBG_AGENT_ELF_JIT[@]}"
    else
        hdbg_lines "${HDBG_AGENT_HIT_JIT[@]}"
    fi
}

# Runs a main class from MODULE's classes with its runtime dependencies; the host and the agent from their jars with
# their AOT cache when it is usable and HDBG_AOT is not 0 (the JVM options are the training's but for the cache's:
# a cache made with other options may be refused; -Xlog:aot*=off: a cache the JVM refuses all the same is not the
# user's business).
hdbg_run() {
    local module="$1" main="$2" cache="" jit=()
    shift 2
    case "$module" in
        host) cache="$(hdbg_host_cache "$@")"; mapfile -t jit < <(hdbg_host_jvm_options "$@") ;;
        agent) cache="$(hdbg_agent_cache "$@")"; mapfile -t jit < <(hdbg_agent_jit "$@"); jit=("${HDBG_JVM_COMMON[@]}" "${jit[@]}") ;;
    esac
    if [ -n "$cache" ] && [ "${HDBG_AOT:-1}" != 0 ] && hdbg_aot_usable "$cache" "$module"; then
        exec "$HDBG_JAVA_HOME/bin/java" -XX:AOTCache="$cache" -Xlog:aot*=off ${jit[@]+"${jit[@]}"} \
            --enable-native-access=ALL-UNNAMED -cp "$(hdbg_jars "$module")" "$main" "$@"
    fi
    exec "$HDBG_JAVA_HOME/bin/java" ${jit[@]+"${jit[@]}"} --enable-native-access=ALL-UNNAMED \
        -cp "$HDBG_ROOT/$module/target/classes:$HDBG_ROOT/$module/target/lib/*" "$main" "$@"
}
