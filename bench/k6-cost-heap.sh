#!/usr/bin/env bash
# Where a k6 VU's memory goes (bench/README.md "Cost per VU on k6"): the figures that are exact on a
# busy machine, for one k6 script under a short 500-VU hold with pings (3 s ramp, 10 s hold):
#   - live heap: a Go heap profile after a GC, 9 s in (k6 --profiling-enabled; `go tool pprof` when
#     `go` is on PATH prints its total and its top nodes, else the profile's path is printed);
#   - allocation: k6's peak RSS with GOGC=off (nothing is collected, so it is every byte allocated).
# usage: bash bench/k6-cost-heap.sh [SCRIPT]   (default: bench/k6-cost/hold-heap.ts built for k6, run on its own stages)
# A k6 script given is run with --stage 3s:500 --stage 10s:500 (a wsbench bundle follows them), or on
# its own stages with STAGES=own (a bundle of bench/k6-cost/hold-heap.ts built by another checkout).
set -euo pipefail
cd "$(dirname "$0")/.."
export K6_NO_USAGE_REPORT=true K6_AUTO_EXTENSION_RESOLUTION=false
K6=$(node -e 'const b = require("./test/k6-real/k6-binaries.js").findK6().binaries.find((x) => !x.legacy); console.log(b ? b.path : "")')
[[ -n $K6 ]] || { echo "k6-cost-heap: skipped: no k6 of v1.6 or later (WSBENCH_K6= or PATH)"; exit 0; }
OUT=${BENCH_OUT:-bench/results/$(date +%Y%m%d_%H%M%S)_k6-heap}
mkdir -p "$OUT"
SCRIPT=${1:-}
STAGES=${STAGES:-}
if [[ -z $SCRIPT ]]; then node bin/runner.js build bench/k6-cost/hold-heap.ts --target k6 --out-dir "$OUT" >/dev/null; SCRIPT=$OUT/hold-heap.js; STAGES=own; fi
# the hand-written script ends its lives at END_MS (30 s by default): this load ends at 13 s
LOAD=(-e END_MS=13000 --no-thresholds --quiet)
[[ $STAGES == own ]] || LOAD+=(--stage 3s:500 --stage 10s:500)

SERVER_PID=
stop_server() { if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; fi; }
trap stop_server EXIT
serve() {
  node bin/runner.js serve --port 0 >"$OUT/serve.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do grep -q 'stats at' "$OUT/serve.log" && break; sleep 0.1; done
  PORT=$(sed -n 's#.*stats at http://127.0.0.1:\([0-9]*\)/stats.*#\1#p' "$OUT/serve.log")
  [[ -n $PORT ]] || { echo "k6-cost-heap: the embedded server did not start" >&2; exit 1; }
}

# 1. live heap: the API server on a port below the ephemeral range (busy machines use those for load)
serve
API=127.0.0.1:$((21000 + RANDOM % 11000))
"$K6" run --profiling-enabled --address "$API" -e "TARGET=ws://127.0.0.1:$PORT/ws" "${LOAD[@]}" "$SCRIPT" >"$OUT/live.log" 2>&1 &
K6_PID=$!
sleep 9
curl -sf "http://$API/debug/pprof/heap?gc=1" -o "$OUT/heap.pprof" || echo "k6-cost-heap: no heap profile (see $OUT/live.log)" >&2
wait "$K6_PID" || true
stop_server

# 2. allocation
serve
GOGC=off /usr/bin/time -f '%U %S %M' -o "$OUT/alloc.time" "$K6" run -e "TARGET=ws://127.0.0.1:$PORT/ws" "${LOAD[@]}" "$SCRIPT" >"$OUT/alloc.log" 2>&1 || true
stop_server

read -r _ _ kb < <(tail -1 "$OUT/alloc.time")
echo "script $SCRIPT; results in $OUT"
echo "allocated (GOGC=off peak RSS): $((kb / 1024)) MiB"
if [[ -s $OUT/heap.pprof ]] && command -v go >/dev/null; then
  go tool pprof -sample_index=inuse_space -top -nodecount=12 "$K6" "$OUT/heap.pprof" 2>/dev/null | sed -n '/^Showing nodes/,$p'
else
  echo "live heap profile: $OUT/heap.pprof (go tool pprof -sample_index=inuse_space -top $K6 $OUT/heap.pprof)"
fi
