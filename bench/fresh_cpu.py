#!/usr/bin/env python3
# fresh agent; empty batch, N 'r rip', empty batch, N 't' (latency.sh's sequence); per-thread CPU of host and agent
# (polled /proc every 50 ms, last value per tid), wall minus empty, and the rate curve (lines per second-slice).
# Usage: bench/fresh_cpu.py CHECKOUT [N]   (CMDS='r rip,t' by default; AGENTOPTS/HOSTOPTS: JAVA_TOOL_OPTIONS; CURVE=1)
# docs/benchmarks.md, "One request's round trip, wave 11". Not part of the test run.
import os, shutil, subprocess, sys, time, socket, re, tempfile, collections
root = sys.argv[1]; N = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
cmds = os.environ.get('CMDS', 'r rip,t').split(',')
tck = os.sysconf('SC_CLK_TCK')
d = tempfile.mkdtemp()
subprocess.run(['gcc', '-static', '-g', '-O0', '-o', d + '/bench', root + '/bench/step_target.c'], check=True)
s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()
env = dict(os.environ); env['JAVA_TOOL_OPTIONS'] = os.environ.get('AGENTOPTS', '')
alog = open(d + '/agent.log', 'w')
agent = subprocess.Popen([root + '/bin/hdbg-agent', '--elf', d + '/bench', '--listen', f'127.0.0.1:{port}'], stdout=alog, stderr=alog, env=env)
while 'listening' not in open(d + '/agent.log').read():
    if agent.poll() is not None: sys.exit('fresh_cpu: the agent ended: ' + open(d + '/agent.log').read())
    time.sleep(0.05)
def threads(pid):
    out = {}
    try:
        for t in os.listdir(f'/proc/{pid}/task'):
            try:
                st = open(f'/proc/{pid}/task/{t}/stat').read()
                comm = st[st.index('(') + 1:st.rindex(')')]
                f = st[st.rindex(')') + 2:].split()
                out[int(t)] = (comm, (int(f[11]) + int(f[12])) / tck, int(open(f'/proc/{pid}/task/{t}/status').read().split('nonvoluntary_ctxt_switches:')[0].split('voluntary_ctxt_switches:')[1]))
            except (FileNotFoundError, ProcessLookupError, ValueError, IndexError): pass
    except FileNotFoundError: pass
    return out
def group(comm):
    if comm.startswith('C2 Comp'): return 'C2'
    if comm.startswith('C1 Comp'): return 'C1'
    if 'GC' in comm or comm.startswith('G1'): return 'GC'
    return comm
def run(file, opts):
    e = dict(os.environ); e['JAVA_TOOL_OPTIONS'] = opts
    a0 = {}; last_a = {}
    for tid, v in threads(agent.pid).items(): a0[tid] = v
    t0 = time.time()
    p = subprocess.Popen([root + '/bin/hdbg', '--connect', f'127.0.0.1:{port}', '--batch', file, '--json'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=e)
    last_h = {}; lines = 0; marks = []
    os.set_blocking(p.stdout.fileno(), False)
    while True:
        try:
            chunk = p.stdout.read()
        except Exception: chunk = None
        if chunk: lines += chunk.count(b'\n')
        h = threads(p.pid)
        if h: last_h.update(h)
        last_a.update(threads(agent.pid))
        hm = collections.defaultdict(float)
        for tid, (c, cpu, v) in last_h.items(): hm[group(c)] += cpu
        am = collections.defaultdict(float)
        for tid, (c, cpu, v) in last_a.items(): am[group(c)] += cpu - (a0[tid][1] if tid in a0 else 0)
        marks.append((time.time() - t0, lines, hm.get('java', 0), hm.get('C1', 0) + hm.get('C2', 0), am.get('multiThreadIoEv', 0), am.get('C1', 0) + am.get('C2', 0)))
        if p.poll() is not None:
            rest = p.stdout.read()
            if rest: lines += rest.count(b'\n')
            break
        time.sleep(0.05)
    t1 = time.time()
    hc = collections.defaultdict(float); hv = collections.defaultdict(int)
    for tid, (c, cpu, v) in last_h.items(): hc[group(c)] += cpu; hv[group(c)] += v
    ac = collections.defaultdict(float)
    for tid, (c, cpu, v) in last_a.items(): ac[group(c)] += cpu - (a0[tid][1] if tid in a0 else 0)
    return t1 - t0, lines, hc, ac, marks
open(d + '/e.txt', 'w').close()
hopts = os.environ.get('HOSTOPTS', '')
for cmd in cmds:
    with open(d + '/a.txt', 'w') as f: f.write((cmd + '\n') * N)
    ew, _, ehc, _, _ = run(d + '/e.txt', hopts)
    w, lines, hc, ac, marks = run(d + '/a.txt', hopts)
    net = w - ew
    top = lambda m: ' '.join(f'{k}={v*1e6/N:.0f}' for k, v in sorted(m.items(), key=lambda kv: -kv[1]) if v * 1e6 / N >= 3)
    print(f'{cmd!r}: wall-empty {net*1e6/N:.1f} us/req (empty {ew:.2f} s) lines={lines}')
    print(f'  host us/req total={sum(hc.values())*1e6/N:.0f} (empty run {sum(ehc.values()):.2f} s): {top(hc)}')
    print(f'  agent us/req total={sum(ac.values())*1e6/N:.0f}: {top(ac)}')
    if os.environ.get('CURVE'):
        prev = marks[0]; out = []
        for m in marks:
            if m[1] >= 1 and prev[1] == 0 or (m[1] - prev[1]) >= N / 8 or m is marks[-1]:
                dl = max(m[1] - prev[1], 1)
                out.append(f'{prev[1]}-{m[1]}: {(m[0]-prev[0])*1e6/dl:.0f}us/req hostmain {(m[2]-prev[2])*1e6/dl:.0f} hostjit {(m[3]-prev[3])*1e6/dl:.0f} agloop {(m[4]-prev[4])*1e6/dl:.0f} agjit {(m[5]-prev[5])*1e6/dl:.0f}')
                prev = m
        print('  ' + '\n  '.join(out))
agent.terminate(); agent.wait()
shutil.rmtree(d, ignore_errors=True)
