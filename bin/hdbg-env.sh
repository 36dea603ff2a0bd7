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
        hdbg_train_host
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

# JDK 25's AOT cache for the host (JEP 483 and 515: classes loaded and linked, and method profiles, from a training
# run), made right after a build: a scripted batch against an agent on the 'loop' sample, the verbs a session uses
# most. It takes the host's start-up and its first thousands of commands' JIT work down (docs/benchmarks.md, "Request
# latency, wave 4"). Best effort: when anything fails there is no cache and the host runs as before.
hdbg_train_host() {
    local work agent port i
    rm -f "$HDBG_HOST_AOT"
    work="$(mktemp -d)"
    : >"$work/agent.log"
    "$HDBG_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$(hdbg_jars agent)" dev.hdbg.agent.AgentMain \
        --sample loop --listen 127.0.0.1:0 >"$work/agent.log" 2>&1 &
    agent=$!
    for ((i = 0; i < 300; i++)); do
        port="$(sed -n 's/^hdbg-agent listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/agent.log")"
        [ -n "$port" ] || ! kill -0 "$agent" 2>/dev/null && break
        sleep 0.1
    done
    if [ -n "$port" ]; then
        for ((i = 0; i < 300; i++)); do
            printf '%s\n' 'r rip' 'r' 't' 'p' 'db rsp' 'dq rsp l 4' 'u rip' '? rax + 1' 'r rax = 1' 'bl' 'events'
        done >"$work/train.txt"
        "$HDBG_JAVA_HOME/bin/java" -XX:AOTCacheOutput="$HDBG_HOST_AOT" -Xlog:aot*=off --enable-native-access=ALL-UNNAMED \
            -cp "$(hdbg_jars host)" dev.hdbg.host.cli.HdbgMain --connect "127.0.0.1:$port" --batch "$work/train.txt" \
            --json >/dev/null 2>&1 || rm -f "$HDBG_HOST_AOT"
    fi
    kill "$agent" 2>/dev/null
    wait "$agent" 2>/dev/null
    rm -rf "$work"
    return 0
}

# Whether the host's AOT cache is there and newer than every jar it was made from (a jar rebuilt since would make the
# JVM refuse it anyway, after reading it) and than every compiled class (a `./mvnw compile` leaves the jars stale: the
# host then runs from its classes, as without a cache).
hdbg_host_aot_usable() {
    [ -f "$HDBG_HOST_AOT" ] && [ -z "$(find "$HDBG_ROOT/host/target" -maxdepth 2 -name '*.jar' -newer "$HDBG_HOST_AOT" \
        -print -quit 2>/dev/null)" ] && [ -z "$(find "$HDBG_ROOT/host/target/classes" "$HDBG_ROOT/common/target/classes" \
        -newer "$HDBG_HOST_AOT" -name '*.class' -print -quit 2>/dev/null)" ]
}

hdbg_prepare() {
    HDBG_JAVA_HOME="$(hdbg_find_java)" || exit 1
    export HDBG_JAVA_HOME
    hdbg_require_packages libunicorn2 libcapstone4 binutils || exit 1
    hdbg_build_if_needed || exit 1
}

# Runs a main class from MODULE's classes with its runtime dependencies; the host from its jars with its AOT cache
# when that is usable (-Xlog:aot*=off: a cache the JVM refuses all the same is not the user's business).
hdbg_run() {
    local module="$1" main="$2"
    shift 2
    if [ "$module" = host ] && [ "${HDBG_AOT:-1}" != 0 ] && hdbg_host_aot_usable; then
        exec "$HDBG_JAVA_HOME/bin/java" -XX:AOTCache="$HDBG_HOST_AOT" -Xlog:aot*=off --enable-native-access=ALL-UNNAMED \
            -cp "$(hdbg_jars host)" "$main" "$@"
    fi
    exec "$HDBG_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
        -cp "$HDBG_ROOT/$module/target/classes:$HDBG_ROOT/$module/target/lib/*" "$main" "$@"
}
