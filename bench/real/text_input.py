#!/usr/bin/env python3
# The real-programs input: MIB MiB of text lines (compressible, sortable), the same bytes on every run and for every
# script that times the busybox rows (bench/real.sh, bench/real_cpu.sh), so their numbers compare.
# Usage: bench/real/text_input.py FILE MIB
import random, sys
random.seed(15)
words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
size = int(sys.argv[2]) << 20
with open(sys.argv[1], "w") as f:
    written = 0
    while written < size:
        line = " ".join(random.choice(words) for _ in range(6)) + " %d\n" % random.randrange(10**9)
        f.write(line)
        written += len(line)
