#!/usr/bin/env python3
"""What a JVM's C2 compiler spends its CPU on, per compile (issue 14: a fresh bridge's C2).

HotSpot's -XX:+LogCompilation gives each compile's method, size, inlining and wall-clock start and end, but a compiler
thread that shares 2 cores with gdb, the agent and other work is preempted, so wall time says little. This samples
the compiler threads' own run time (/proc/PID/task/TID/schedstat, nanoseconds) every few milliseconds while the JVM
runs, and charges each compile the CPU its thread used between its start and end.

Usage:
  c2_profile.py sample PID OUT        # until PID ends: "epoch_seconds tid runtime_ns" lines for its compiler threads
  c2_profile.py report LOG SAMPLES [MARKS]
      LOG: the JVM's -XX:LogFile (with -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation); MARKS: a file of
      "epoch_seconds name" lines (bench/bridge-cpu.sh writes "steps" and "done" around gdb's measured stepi); prints
      C2's CPU before, during and after the marks, by package and by method, recompiles and runtime deoptimizations.
Not part of the test run.
"""
import collections
import glob
import os
import re
import sys
import time


def sample(pid, out):
    with open(out, "w") as f:
        while os.path.exists("/proc/%d" % pid):
            now = time.time()
            for task in glob.glob("/proc/%d/task/*" % pid):
                try:
                    name = open(task + "/comm").read().strip()
                    if "Compiler" not in name:
                        continue
                    ns = open(task + "/schedstat").read().split()[0]
                except OSError:
                    continue
                f.write("%.4f %s %s\n" % (now, task.rsplit("/", 1)[1], ns))
            time.sleep(0.003)


def attrs(s):
    return dict(re.findall(r"(\w+)='([^']*)'", s))


def cpu_between(series, t0, t1):
    """CPU ns a thread used in [t0, t1], linear between samples."""
    def at(t):
        if not series or t <= series[0][0]:
            return series[0][1] if series else 0
        lo, hi = 0, len(series) - 1
        if t >= series[hi][0]:
            return series[hi][1]
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if series[mid][0] <= t:
                lo = mid
            else:
                hi = mid
        (a, x), (b, y) = series[lo], series[hi]
        return x + (y - x) * (t - a) / (b - a) if b > a else x
    return at(t1) - at(t0)


def package(method):
    parts = method.split(" ")[0].split(".")
    return ".".join(parts[:3]) if len(parts) > 3 else ".".join(parts[:-1])


def report(log, samples, marks_path=None):
    text = open(log, errors="replace").read()
    start = int(attrs(re.search(r"<hotspot_log ([^>]*)>", text).group(1))["time_ms"]) / 1000.0
    series = collections.defaultdict(list)
    for line in open(samples):
        t, tid, ns = line.split()
        series[tid].append((float(t), int(ns)))
    marks = {}
    if marks_path:
        for line in open(marks_path):
            t, name = line.split()
            marks[name] = float(t)
    tasks = []
    for log_part in re.finditer(r"<compilation_log thread='(\d+)'>(.*?)</compilation_log>", text, re.S):
        tid = log_part.group(1)
        for m in re.finditer(r"<task (compile_id[^>]*)>(.*?)<task_done ([^>]*)/>", log_part.group(2), re.S):
            a, d = attrs(m.group(1)), attrs(m.group(3))
            t0, t1 = start + float(a["stamp"]), start + float(d["stamp"])
            tasks.append({"method": a["method"], "level": a.get("level", "4"), "osr": "osr_bci" in a, "t0": t0,
                          "cpu": cpu_between(series[tid], t0, t1) / 1e9, "bytes": int(a.get("bytes", 0)),
                          "inlined": int(d.get("inlined_bytes", 0)), "nmsize": int(d.get("nmsize", 0)),
                          "success": d.get("success") == "1"})
    c2 = [t for t in tasks if t["level"] == "4"]

    def phase(t):
        if "steps" in marks and t["t0"] < marks["steps"]:
            return "before"
        if "done" in marks and t["t0"] > marks["done"]:
            return "after"
        return "during"
    print("C2: %d compiles, %.2f s CPU (all compiler threads sampled: %.2f s)" % (
        len(c2), sum(t["cpu"] for t in c2), sum(s[-1][1] - s[0][1] for s in series.values()) / 1e9))
    for name in ("before", "during", "after"):
        part = [t for t in c2 if phase(t) == name]
        print("  started %-6s the steps: %4d compiles, %.2f s CPU" % (name, len(part), sum(t["cpu"] for t in part)))
    for name in ("before", "during"):
        by = collections.defaultdict(lambda: [0, 0.0])
        for t in c2:
            if phase(t) == name:
                by[package(t["method"])][0] += 1
                by[package(t["method"])][1] += t["cpu"]
        print("C2 CPU by package, compiles started %s the steps:" % name)
        for p, (n, s) in sorted(by.items(), key=lambda x: -x[1][1])[:15]:
            print("  %6.3f s %4d  %s" % (s, n, p))
    print("C2's 40 costliest compiles (CPU s, phase, bytecode bytes, inlined bytes, code size, method):")
    for t in sorted(c2, key=lambda t: -t["cpu"])[:40]:
        print("  %6.3f %-6s %5d %6d %6d %s%s%s" % (t["cpu"], phase(t), t["bytes"], t["inlined"], t["nmsize"],
              t["method"], " (OSR)" if t["osr"] else "", "" if t["success"] else " FAILED"))
    again = collections.Counter(t["method"] for t in c2)
    extra = [t for t in c2 if again[t["method"]] > 1]
    print("compiled by C2 more than once: %d methods, %.2f s CPU in all their compiles" % (
        len({t["method"] for t in extra}), sum(t["cpu"] for t in extra)))
    traps = [attrs(m.group(1)) for m in re.finditer(r"<uncommon_trap (thread[^>]*)>", text)]
    print("uncommon traps taken: %d %s" % (len(traps), collections.Counter(
        (u.get("reason"), u.get("action")) for u in traps).most_common(8)))
    gone = [attrs(m.group(1)) for m in re.finditer(r"<make_not_entrant ([^>]*)/>", text)]
    print("made not entrant: %d by level %s" % (len(gone), sorted(collections.Counter(
        g.get("level", "?") for g in gone).items())))
    by_level = collections.defaultdict(lambda: [0, 0.0])
    for t in tasks:
        by_level[t["level"]][0] += 1
        by_level[t["level"]][1] += t["cpu"]
    print("compiles by tier (count, CPU s): %s" % {k: (n, round(s, 2)) for k, (n, s) in sorted(by_level.items())})


if __name__ == "__main__":
    if sys.argv[1] == "sample":
        sample(int(sys.argv[2]), sys.argv[3])
    else:
        report(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
