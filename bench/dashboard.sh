#!/usr/bin/env bash
# Cost of --dashboard (make bench-dashboard): the same connect-only run of CONNS connections, with and
# without --dashboard, against one server started apart (`runner serve`); prints the runner's CPU
# seconds (CLI + worker processes) of each and the ratio. With --dashboard, /metrics is scraped every
# second and one live page (/events) stays open, as Prometheus and a browser would.
#
# The runner's CPU is the children time (getrusage RUSAGE_CHILDREN) of a Python wrapper whose only
# child is the runner: the workers it reaped are in it, the scraper and the server are not.
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

# $1: off|on, $2: run number; prints the runner's CPU seconds
one_run() {
  local dir="$OUT/$1-$2" flags=()
  mkdir -p "$dir"
  [ "$1" = on ] && flags=(--dashboard 127.0.0.1:0)
  if [ "$1" = on ]; then
    # the scraper: waits for the dashboard's address, then one live page and a scrape a second
    ( for _ in $(seq 600); do grep -q '^dashboard: http' "$dir/runner.err" 2>/dev/null && break; sleep 0.1; done
      base=$(grep -o 'http://127.0.0.1:[0-9]*/' "$dir/runner.err" | head -1)
      [ -n "$base" ] || exit 0
      curl -sN "${base}events" >/dev/null 2>&1 &
      while curl -s "${base}metrics" -o "$dir/last-metrics.txt" 2>/dev/null; do sleep 1; done ) &
    SCRAPER=$!
  fi
  python3 - "$dir" node bin/runner.js run scenarios/connect-only.ts --target "$URL" --conns "$CONNS" --ramp "${RAMP}s" \
    --duration "${DURATION}s" --ping-interval "${PING}s" --quiet --out-dir "$dir/run" --summary-export "$dir/summary.json" "${flags[@]}" <<'PY'
import resource, subprocess, sys
out = sys.argv[1]
with open(f"{out}/runner.out", "w") as o, open(f"{out}/runner.err", "w") as e:
    code = subprocess.run(sys.argv[2:], stdout=o, stderr=e).returncode
r = resource.getrusage(resource.RUSAGE_CHILDREN)
if code not in (0, 99):
    sys.exit(f"the run failed (exit {code}): see {out}/runner.err")
print(f"{r.ru_utime + r.ru_stime:.2f}")
PY
  if [ -n "$SCRAPER" ]; then pkill -P "$SCRAPER" 2>/dev/null || true; kill "$SCRAPER" 2>/dev/null || true; SCRAPER=; fi
}

echo "dashboard bench: $CONNS connections, ${RAMP}s ramp, ${DURATION}s run, pings every ${PING}s, server $URL; $REPEAT pair(s)"
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
OFF=()
ON=()
for i in $(seq "$REPEAT"); do
  if [ $((i % 2)) = 1 ]; then order="off on"; else order="on off"; fi
  for mode in $order; do
    cpu=$(one_run "$mode" "$i")
    echo "  run $i, --dashboard $mode: runner CPU ${cpu} s"
    if [ "$mode" = on ]; then ON+=("$cpu"); else OFF+=("$cpu"); fi
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
echo "outputs: $OUT"
