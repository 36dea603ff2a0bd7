#!/usr/bin/env bash
# Start-up of two built, trained checkouts side by side, not part of the tests:
#
#   bench/startup.sh /path/to/checkout-a /path/to/checkout-b [PAIRS]
#
# For each of `hdbg --help`, `hdbg --version`, an empty `hdbg --batch` against the checkout's own agent (loop sample)
# and `hdbg-agent --help`, runs A and B back to back PAIRS times (default 10, alternating which goes first, so both see
# the same load) and prints the median wall and CPU (user + system) milliseconds of each, then how many classes one
# run of each loaded from outside its AOT cache (-Xlog:class+load lines without "shared objects file"), picocli's
# apart. Train each checkout first (bin/hdbg-env.sh's hdbg_train) or both run without caches.
set -u
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
A=${1:?first checkout}; B=${2:?second checkout}; PAIRS=${3:-10}
OUT=$(mktemp -d)
: >"$OUT/empty.txt"
declare -A ADDRESS AGENT
n=0
for dir in "$A" "$B"; do
    log="$OUT/agent.$((n++)).log"
    "$dir/bin/hdbg-agent" --sample loop --listen 127.0.0.1:0 >"$log" 2>&1 &
    AGENT[$dir]=$!
    for _ in $(seq 1 300); do grep -q "^hdbg-agent listening on" "$log" 2>/dev/null && break; sleep 0.1; done
    ADDRESS[$dir]=$(sed -n 's/^hdbg-agent listening on //p' "$log")
done
command_of() { # dir case -> the command line
    case "$2" in
        help) echo "$1/bin/hdbg --help" ;;
        version) echo "$1/bin/hdbg --version" ;;
        batch) echo "$1/bin/hdbg --connect ${ADDRESS[$1]} --batch $OUT/empty.txt" ;;
        agent-help) echo "$1/bin/hdbg-agent --help" ;;
    esac
}
measure() { # dir case -> "wall_ms cpu_ms"
    local start end
    start=$(date +%s%N)
    /usr/bin/time -o "$OUT/time" -f '%U %S' $(command_of "$1" "$2") >/dev/null 2>&1
    end=$(date +%s%N)
    echo "$(((end - start) / 1000000)) $(tail -n 1 "$OUT/time" | awk '{printf "%d", ($1 + $2) * 1000}')"
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
echo "load: $(uptime)"
printf '%-11s %10s %10s %10s %10s\n' case "A wall" "B wall" "A cpu" "B cpu"
for case in help version batch agent-help; do
    : >"$OUT/$case.A"; : >"$OUT/$case.B"
    for ((i = 0; i < PAIRS; i++)); do
        if ((i % 2 == 0)); then
            measure "$A" $case >>"$OUT/$case.A"; measure "$B" $case >>"$OUT/$case.B"
        else
            measure "$B" $case >>"$OUT/$case.B"; measure "$A" $case >>"$OUT/$case.A"
        fi
    done
    printf '%-11s %10s %10s %10s %10s\n' $case "$(cut -d' ' -f1 "$OUT/$case.A" | median)" \
        "$(cut -d' ' -f1 "$OUT/$case.B" | median)" "$(cut -d' ' -f2 "$OUT/$case.A" | median)" \
        "$(cut -d' ' -f2 "$OUT/$case.B" | median)"
done
echo "classes loaded outside the AOT cache (all / picocli's):"
for case in help version batch agent-help; do
    for dir in "$A" "$B"; do
        rm -f "$OUT/classes.log"
        JAVA_TOOL_OPTIONS="-Xlog:class+load:file=$OUT/classes.log" $(command_of "$dir" $case) >/dev/null 2>&1
        printf '%-11s %s: %s / %s\n' $case "$dir" "$(grep -vc 'shared objects file' "$OUT/classes.log")" \
            "$(grep -v 'shared objects file' "$OUT/classes.log" | grep -c ' picocli\.')"
    done
done
echo "load: $(uptime)"
kill "${AGENT[@]}" 2>/dev/null
wait 2>/dev/null
rm -rf "$OUT"
