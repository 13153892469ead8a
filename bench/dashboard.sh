#!/usr/bin/env bash
# Cost of --dashboard (make bench-dashboard): the same connect-only run of CONNS connections, with and
# without --dashboard, against one server started apart (`runner serve`); prints the runner's CPU
# seconds (CLI + worker processes) of each and the ratio. With --dashboard, /metrics is scraped every
# second and one live page (/events) stays open, as Prometheus and a browser would.
#
# The runner's CPU is read from /proc (utime + stime) of the runner and its worker processes ten
# times a second while it runs (the last reading of each); the scraper and the server are not in it.
# Runs alternate (off, on, on, off, ...) so that a change of the machine's load hits both sides.
# Override: CONNS=10000 RAMP=10 DURATION=40 PING=10 REPEAT=2 SERVER_WORKERS=2 bench/dashboard.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS=${CONNS:-10000}
RAMP=${RAMP:-10}
DURATION=${DURATION:-40}
PING=${PING:-10}
REPEAT=${REPEAT:-2}
SERVER_WORKERS=${SERVER_WORKERS:-2}
OUT=${OUT:-bench/results/$(date +%Y%m%d_%H%M%S)_dashboard}
mkdir -p "$OUT"
[ -f dist/cli.js ] || node build/self.js

node bin/runner.js serve --port 0 --workers "$SERVER_WORKERS" >"$OUT/server.log" 2>&1 &
SERVER=$!
SCRAPER=
cleanup() { [ -n "$SCRAPER" ] && kill "$SCRAPER" 2>/dev/null; kill "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 100); do grep -q 'listening on' "$OUT/server.log" && break; sleep 0.1; done
URL=$(grep -o 'ws://[^ ]*' "$OUT/server.log" | head -1)
[ -n "$URL" ] || { echo "the server did not start: $(cat "$OUT/server.log")" >&2; exit 1; }

# $1: off|on|prof (on, with a V8 CPU profile of the coordinator), $2: run number; prints the runner's CPU seconds
one_run() {
  local dir="$OUT/$1-$2" flags=() node=(node)
  mkdir -p "$dir"
  [ "$1" != off ] && flags=(--dashboard 127.0.0.1:0)
  [ "$1" = prof ] && node=(node --cpu-prof --cpu-prof-dir "$dir/prof")
  if [ "$1" != off ]; then
    # the scraper: waits for the dashboard's address, then one live page and a scrape a second
    ( for _ in $(seq 600); do grep -q '^dashboard: http' "$dir/runner.err" 2>/dev/null && break; sleep 0.1; done
      base=$(grep -o 'http://127.0.0.1:[0-9]*/' "$dir/runner.err" | head -1)
      [ -n "$base" ] || exit 0
      curl -sN "${base}events" >/dev/null 2>&1 &
      while curl -s "${base}metrics" -o "$dir/last-metrics.txt" 2>/dev/null; do sleep 1; done ) &
    SCRAPER=$!
  fi
  python3 - "$dir" "${node[@]}" bin/runner.js run scenarios/connect-only.ts --target "$URL" --conns "$CONNS" --ramp "${RAMP}s" \
    --duration "${DURATION}s" --ping-interval "${PING}s" --quiet --out-dir "$dir/run" --summary-export "$dir/summary.json" "${flags[@]}" <<'PY'
import os, subprocess, sys, time
out = sys.argv[1]
tck = os.sysconf('SC_CLK_TCK')
seen = {}  # pid -> its CPU seconds (utime + stime of /proc/<pid>/stat), last read before it exited

def stat(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(')', 1)[1].split()
    return int(f[1]), (int(f[11]) + int(f[12])) / tck  # ppid, cpu

with open(f"{out}/runner.out", "w") as o, open(f"{out}/runner.err", "w") as e:
    p = subprocess.Popen(sys.argv[2:], stdout=o, stderr=e)
    # the coordinator and its worker processes, read ten times a second: the workers may outlive
    # the coordinator by a moment (not reaped by it), so the children time of a wait() would miss them
    while p.poll() is None:
        for name in os.listdir('/proc'):
            if not name.isdigit():
                continue
            try:
                ppid, cpu = stat(int(name))
            except (OSError, IndexError, ValueError):
                continue
            if int(name) == p.pid or ppid == p.pid:
                seen[int(name)] = cpu
        time.sleep(0.1)
if p.returncode not in (0, 99):
    sys.exit(f"the run failed (exit {p.returncode}): see {out}/runner.err")
print(f"{sum(seen.values()):.2f} {seen.get(p.pid, 0):.2f}")
PY
  if [ -n "$SCRAPER" ]; then pkill -P "$SCRAPER" 2>/dev/null || true; kill "$SCRAPER" 2>/dev/null || true; SCRAPER=; fi
}

echo "dashboard bench: $CONNS connections, ${RAMP}s ramp, ${DURATION}s run, pings every ${PING}s, server $URL; $REPEAT pair(s)"
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
OFF=()
ON=()
ON_OWN=()
for i in $(seq "$REPEAT"); do
  if [ $((i % 2)) = 1 ]; then order="off on"; else order="on off"; fi
  for mode in $order; do
    read -r cpu own < <(one_run "$mode" "$i")
    echo "  run $i, --dashboard $mode: runner CPU ${cpu} s (coordinator ${own} s)"
    if [ "$mode" = on ]; then ON+=("$cpu"); ON_OWN+=("$own"); else OFF+=("$cpu"); fi
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "${OFF[*]}" "${ON[*]}" <<'PY'
import statistics, sys
off = [float(x) for x in sys.argv[1].split()]
on = [float(x) for x in sys.argv[2].split()]
a, b = statistics.median(off), statistics.median(on)
print(f"runner CPU, median of {len(off)}: without --dashboard {a:.2f} s, with {b:.2f} s; ratio {b / a:.3f} ({(b / a - 1) * 100:+.1f}%)")
PY
# the dashboard's own share, measured inside the coordinator rather than against the machine's noise
if [ "${PROFILE:-1}" = 1 ]; then
  read -r cpu own < <(one_run prof 1)
  read -r mine busy < <(python3 bench/dashboard-cpu.py "$(ls "$OUT"/prof-1/prof/*.cpuprofile | head -1)" dist/cli.js)
  # the profile's clock is wall time (inflated when the machine is overloaded) and profiling costs
  # CPU itself: take the dashboard's share of the coordinator's samples, times the coordinator's CPU
  # of the unprofiled runs with --dashboard, against their runner CPU (medians)
  python3 - "$mine" "$busy" "$cpu" "$own" "${ON_OWN[*]}" "${ON[*]}" <<'PY'
import statistics, sys
mine, busy, cpu, own = map(float, sys.argv[1:5])
coord = statistics.median(float(x) for x in sys.argv[5].split())
runner = statistics.median(float(x) for x in sys.argv[6].split())
share = mine / busy
print(f"profiled run with --dashboard: dashboard code {share * 100:.1f}% of the coordinator's samples ({mine:.0f} of {busy:.0f} ms; profiled coordinator CPU {own:.2f} s)")
print(f"dashboard CPU ~ {share * 100:.1f}% x {coord:.2f} s (coordinator, median with --dashboard) = {share * coord:.2f} s = {share * coord / runner * 100:.2f}% of the runner CPU ({runner:.2f} s)")
PY
fi
echo "outputs: $OUT"
