#!/usr/bin/env python3
"""CPU of the dashboard inside the runner's coordinator, from a V8 CPU profile (node --cpu-prof).

A sample is the dashboard's when a frame of its stack is dashboard code: the runner/dashboard/
modules of dist/cli.js (found by esbuild's `// path` module comments), prom-client, or the
report's chart builder (only the live page calls it during a run). Prints the dashboard's
milliseconds and the whole profile's (the coordinator's busy time).
Usage: dashboard-cpu.py PROFILE.cpuprofile dist/cli.js
"""
import json, re, sys

profile, bundle = sys.argv[1], sys.argv[2]
ranges, start, current = [], None, None
with open(bundle) as f:
    for i, line in enumerate(f):
        m = re.match(r'^// ((?:runner|lib|server|build)/\S+\.ts)$', line)
        if not m:
            continue
        if current is not None and (current.startswith('runner/dashboard/') or current == 'lib/results/report/charts.ts'):
            ranges.append((start, i))
        current, start = m.group(1), i
    if current is not None and current.startswith('runner/dashboard/'):
        ranges.append((start, i + 1))

p = json.load(open(profile))
nodes = {n['id']: n for n in p['nodes']}
parent = {c: n['id'] for n in p['nodes'] for c in n.get('children', [])}

def own(n):
    cf = n['callFrame']
    if 'prom-client' in cf['url']:
        return True
    return cf['url'].endswith('dist/cli.js') and any(a <= cf['lineNumber'] < b for a, b in ranges)

memo = {}
def dashboard(nid):
    if nid not in memo:
        n = nodes[nid]
        memo[nid] = own(n) or (nid in parent and dashboard(parent[nid]))
    return memo[nid]

idle = {n['id'] for n in p['nodes'] if n['callFrame']['functionName'] in ('(idle)', '(program)', '(garbage collector)')}
total = mine = 0.0
for nid, dt in zip(p['samples'], p['timeDeltas']):
    if nid in idle and nodes[nid]['callFrame']['functionName'] == '(idle)':
        continue
    total += dt
    if dashboard(nid):
        mine += dt
print(f"{mine / 1000:.1f} {total / 1000:.1f}")
