#!/usr/bin/env bash
# Messaging benchmark (make bench-messaging): CONNS connections, each sending RATE msgs/s of SIZE bytes
# to the next user, for SEND seconds of messages, against the embedded server on this machine.
# Prints delivered msgs/s, delivery P50/P99, and the CPU the runner and the server used, read from
# /proc/<pid>/stat: the server's own ticks (it and its cluster workers), and the runner's as the
# children time of this shell once the runner (CLI + worker processes) has exited and been reaped.
#
# The server runs as its own process (`runner serve`, the same embedded server `wsbench` starts when
# no --target is given) so that its CPU is counted apart from the runner's.
# Override: CONNS=2000 RATE=10 SIZE=256 SEND=60 RAMP=5 WORKERS= SERVER_WORKERS=1 ROOM=0 bench/messaging.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS=${CONNS:-2000}
RATE=${RATE:-10}
SIZE=${SIZE:-256}
SEND=${SEND:-60}
RAMP=${RAMP:-5}
ROOM=${ROOM:-0}
SERVER_WORKERS=${SERVER_WORKERS:-1}
WORKERS=${WORKERS:-}
# the scenario sends from 1 s after the ramp until 2 s before the end (its warmup and drain)
DURATION=$((RAMP + SEND + 3))
OUT=${OUT:-bench/results/$(date +%Y%m%d_%H%M%S)_messaging}
mkdir -p "$OUT"
[ -f dist/cli.js ] || node build/self.js

TCK=$(getconf CLK_TCK)
SHELL_PID=$$ # this shell: the runner is its child, reaped, so its CPU lands in our cutime+cstime
# utime+stime (fields 14, 15) or cutime+cstime (16, 17) of a pid, in ticks; fields counted after "(comm)"
ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk -v a="$2" -v b="$3" '{ print $(a - 2) + $(b - 2) }'; }
tree_ticks() { # a process and its live children (cluster workers)
  local total; total=$(ticks "$1" 14 15)
  for c in $(pgrep -P "$1" || true); do total=$((total + $(ticks "$c" 14 15))); done
  echo "$total"
}

node bin/runner.js serve --port 0 --workers "$SERVER_WORKERS" >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q 'listening on' "$OUT/server.log" && break; sleep 0.1; done
URL=$(grep -o 'ws://[^ ]*' "$OUT/server.log" | head -1)
[ -n "$URL" ] || { echo "the server did not start: $(cat "$OUT/server.log")" >&2; exit 1; }
sleep 1 # let the cluster workers settle before counting

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
SERVER_BEFORE=$(tree_ticks "$SERVER")
RUNNER_BEFORE=$(ticks "$SHELL_PID" 16 17)
echo "messaging bench: $CONNS connections, $RATE msgs/s of $SIZE B each to $([ "$ROOM" = 0 ] && echo 'a peer' || echo "rooms of $ROOM"), ${SEND}s of messages; server $URL ($SERVER_WORKERS process(es))"
set +e
node bin/wsbench.js --mode messaging --target "$URL" --conns "$CONNS" --ramp "${RAMP}s" --duration "${DURATION}s" \
  --msg-rate "$RATE" --msg-size "$SIZE" --room-size "$ROOM" --ping-interval 30s ${WORKERS:+--workers "$WORKERS"} \
  --summary-export "$OUT/summary.json" --out-dir "$OUT/run" --quiet >"$OUT/report.txt" 2>"$OUT/runner.err"
CODE=$?
set -e
RUNNER_AFTER=$(ticks "$SHELL_PID" 16 17)
SERVER_AFTER=$(tree_ticks "$SERVER")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
[ -f "$OUT/summary.json" ] || { echo "the run failed (exit $CODE): $(cat "$OUT/runner.err")" >&2; exit 1; }

node - "$OUT/summary.json" "$(((RUNNER_AFTER - RUNNER_BEFORE)))" "$(((SERVER_AFTER - SERVER_BEFORE)))" "$TCK" "$LOAD_BEFORE" "$LOAD_AFTER" "$(nproc)" <<'EOF' | tee "$OUT/bench.txt"
const [file, runnerTicks, serverTicks, tck, loadBefore, loadAfter, cpus] = process.argv.slice(2);
const s = require(require('path').resolve(file));
const m = s.messages;
const runnerCpu = Number(runnerTicks) / Number(tck);
const serverCpu = Number(serverTicks) / Number(tck);
const per1k = (cpu) => (m.sent > 0 ? (cpu / (m.sent / 1000)).toFixed(4) : 'n/a');
const lines = [
  `connections:          ${s.connections.succeeded}/${s.connections.attempted} (runner workers: ${s.runner.workers.length})`,
  `messages:             sent ${m.sent}, acked ${m.acked}, delivered ${m.delivered}/${m.expected}, lost ${m.lost}, duplicated ${m.duplicated}, out of order ${m.outOfOrder}`,
  `throughput:           ${m.throughput.sentPerSec} sent/s, ${m.throughput.deliveredPerSec} delivered/s`,
  `delivery latency:     P50 ${m.latencyMs.p50} ms, P99 ${m.latencyMs.p99} ms (max ${m.latencyMs.max})`,
  `ack round trip:       P50 ${m.ackRttMs.p50} ms, P99 ${m.ackRttMs.p99} ms`,
  `runner CPU:           ${runnerCpu.toFixed(2)} s in all, ${per1k(runnerCpu)} s per 1,000 messages`,
  `server CPU:           ${serverCpu.toFixed(2)} s in all, ${per1k(serverCpu)} s per 1,000 messages`,
  `runner / server CPU:  ${serverCpu > 0 ? (runnerCpu / serverCpu).toFixed(2) : 'n/a'}`,
  // other work on the machine delays the runner and the server: latencies are only comparable at similar load
  `load average:         ${loadBefore} before, ${loadAfter} after (${cpus} CPUs)`,
  ...s.runner.warnings.map((w) => `runner warning:       ${w}`),
];
console.log(lines.join('\n'));
EOF
echo "results: $OUT (exit code of the run: $CODE)"
