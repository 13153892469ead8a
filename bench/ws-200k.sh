#!/usr/bin/env bash
# make bench-ws-200k: 200,000 WebSocket connections from this machine to the embedded server
# cluster on this machine (runner + server together), pings every 30 s. Targets (issue 12):
# 200,000/200,000 connected, pong rate >= 99.9%, connect P99 < 100 ms. Prints the machine's
# state and limits first, then the run's own report (with its diagnosis), then the targets.
#
#   make bench-ws-200k                                   # the full run (~7 minutes; a quiet machine)
#   CONNS=30000 RAMP_S=60 DURATION_S=100 make bench-ws-200k   # a reduced check of the same plan
#
# Settings: CONNS RAMP_S DURATION_S PING_S (whole numbers); WORKERS, SERVER_WORKERS (default: the
# runner's sizing, from the open-files limit); ARGS (more runner flags, e.g. "--transport raw");
# OUT_DIR; PLAN_ONLY=1 prints the plan and its checks and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS=${CONNS:-200000}
RAMP_S=${RAMP_S:-300}
DURATION_S=${DURATION_S:-390}
PING_S=${PING_S:-30}
OUT=${OUT_DIR:-bench/results/$(date +%Y%m%d_%H%M%S)_ws-${CONNS}}
for v in CONNS RAMP_S DURATION_S PING_S; do
  [[ ${!v} =~ ^[0-9]+$ && ${!v} -ge 1 ]] || { echo "bench-ws-200k: $v must be a whole number >= 1 (got '${!v}')" >&2; exit 1; }
done
((DURATION_S > RAMP_S)) || { echo "bench-ws-200k: DURATION_S must be longer than RAMP_S" >&2; exit 1; }
mkdir -p "$OUT"
[[ -f dist/cli.js ]] || node build/self.js

sysctl_of() { cat "/proc/sys/${1//.//}" 2>/dev/null | tr -s '\t ' ' ' || echo "absent"; }
nofile=$(ulimit -n)
# the runner's sizing (runner/limits.ts): per process the open-files limit less headroom, less 5%
per_proc=$(node -e 'const l=Number(process.argv[1]);const h=Math.min(500,Math.ceil(l/10));console.log(Math.max(1,Math.floor((l-h)*0.95)))' "$nofile")
workers=${WORKERS:-$(((CONNS + per_proc - 1) / per_proc))}
server_workers=${SERVER_WORKERS:-$workers}
sources=$(((CONNS + 2499) / 2500)) # runner/addresses.ts: 2,500 connections per loopback source address
read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range
ports=$((hi - lo + 1))
avail_mb=$(awk '/MemAvailable/ { printf "%d", $2 / 1024 }' /proc/meminfo)
# memory plan: ~60 MiB per Node process, ~8 KiB per connection on each side (client and server)
need_mb=$(((workers + server_workers + 2) * 60 + CONNS * 16 / 1024))

state() { # the machine's state, to keep with the figures
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr), node $(node -v)"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); CPU pressure: $(sed -n 's/^some //p' /proc/pressure/cpu 2>/dev/null || echo n/a)"
  echo "memory available: ${avail_mb} MiB"
  echo "sockets: $(ss -s 2>/dev/null | sed -n 's/^TCP: *//p' || echo n/a)"
}

{
  echo "== plan: $CONNS connections over ${RAMP_S}s ($((CONNS / RAMP_S))/s), ${DURATION_S}s in all, pings every ${PING_S}s"
  state
  echo "limits: ulimit -n $nofile (→ ≤ $per_proc connections per process); fs.file-max $(sysctl_of fs.file-max); fs.nr_open $(sysctl_of fs.nr_open)"
  echo "processes: 1 coordinator + $workers runner workers + 1 + $server_workers server processes on $(nproc) cores"
  echo "source addresses: $sources (127.0.0.1..127.0.0.$sources, $((CONNS / sources)) each) × $ports ephemeral ports ($lo-$hi) each"
  echo "net.core.somaxconn $(sysctl_of net.core.somaxconn) (server backlog 65535, capped by it); net.ipv4.tcp_max_syn_backlog $(sysctl_of net.ipv4.tcp_max_syn_backlog)"
  echo "net.netfilter.nf_conntrack_max $(sysctl_of net.netfilter.nf_conntrack_max), tracking now $(sysctl_of net.netfilter.nf_conntrack_count) (one entry per connection when tracking is on)"
  echo "net.ipv4.tcp_mem $(sysctl_of net.ipv4.tcp_mem) pages (idle sockets hold little; $((CONNS * 2)) sockets in all)"
  echo "memory: plan ~${need_mb} MiB, available ${avail_mb} MiB"
} | tee "$OUT/plan.txt"

problems=()
((per_proc * workers >= CONNS)) || problems+=("$workers workers × $per_proc connections < $CONNS: give WORKERS=$(((CONNS + per_proc - 1) / per_proc)) or more")
((ports >= CONNS / sources)) || problems+=("ip_local_port_range gives $ports ports per source address, $((CONNS / sources)) needed")
((avail_mb >= need_mb)) || problems+=("memory available ${avail_mb} MiB < plan ${need_mb} MiB")
fm=$(sysctl_of fs.file-max)
[[ $fm == absent ]] || ((fm >= CONNS * 2 + 10000)) || problems+=("fs.file-max $fm < $((CONNS * 2 + 10000)) (both ends of every connection are on this machine): sysctl -w fs.file-max=$((CONNS * 3))")
ct=$(sysctl_of net.netfilter.nf_conntrack_max)
ctn=$(sysctl_of net.netfilter.nf_conntrack_count)
# a conntrack table only matters when it tracks (count > 0): then one entry per connection, plus TIME_WAIT leftovers
[[ $ct == absent || $ctn == absent || $ctn == 0 ]] || ((ct >= CONNS * 12 / 10 + ctn)) ||
  problems+=("nf_conntrack_max $ct < $((CONNS * 12 / 10 + ctn)) (tracking is on, $ctn entries now): sysctl -w net.netfilter.nf_conntrack_max=$((CONNS * 2))")
sc=$(sysctl_of net.core.somaxconn)
[[ $sc == absent ]] || ((sc >= 4096)) || problems+=("net.core.somaxconn $sc < 4096: sysctl -w net.core.somaxconn=65535 (accept queue overflows at the ramp's pace)")
if ((${#problems[@]} > 0)); then
  printf 'bench-ws-200k: cannot carry %s connections here:\n' "$CONNS" >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
fi
load1=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load1" -v c="$(nproc)" 'BEGIN { exit !(l > c / 2) }'; then
  echo "!! load average $load1 on $(nproc) cores: this machine is busy; latencies and the pong rate will include CPU queueing" | tee -a "$OUT/plan.txt"
fi

if [[ ${PLAN_ONLY:-} == 1 ]]; then
  echo "plan only (PLAN_ONLY=1): the machine can carry it; nothing was run"
  exit 0
fi

echo "== run: node bin/runner.js run scenarios/connect-only.ts --conns $CONNS --ramp ${RAMP_S}s --duration ${DURATION_S}s --ping-interval ${PING_S}s ${WORKERS:+--workers $WORKERS }${SERVER_WORKERS:+--server-workers $SERVER_WORKERS }${ARGS:-}"
set +e
# shellcheck disable=SC2086
node bin/runner.js run scenarios/connect-only.ts --conns "$CONNS" --ramp "${RAMP_S}s" --duration "${DURATION_S}s" \
  --ping-interval "${PING_S}s" ${WORKERS:+--workers "$WORKERS"} ${SERVER_WORKERS:+--server-workers "$SERVER_WORKERS"} \
  --summary-export "$OUT/summary.json" --out-dir "$OUT/results" ${ARGS:-}
code=$?
set -e
state >"$OUT/state-after.txt"
[[ -f $OUT/summary.json ]] || { echo "bench-ws-200k: the run wrote no summary (exit $code)" >&2; exit 1; }

node - "$OUT/summary.json" "$CONNS" <<'JS' | tee "$OUT/targets.txt"
const [file, conns] = process.argv.slice(2);
const s = require(require('node:path').resolve(file));
const c = s.connections;
const pong = s.heartbeat.pongRate;
const p99 = s.connectLatencyMs.p99;
const line = (ok, what) => `${ok ? 'met    ' : 'NOT met'}  ${what}`;
console.log(`== targets (issue 12), ${c.succeeded}/${c.attempted} of ${conns} planned`);
console.log(line(c.succeeded === Number(conns), `connected ${c.succeeded}/${conns}${c.succeeded < conns ? ` (short by ${conns - c.succeeded}; errors ${JSON.stringify(c.errors)})` : ''}`));
console.log(line(pong !== null && pong >= 0.999, `pong rate ${pong === null ? 'n/a' : (pong * 100).toFixed(3) + '%'} (≥ 99.9%)`));
console.log(line(p99 !== null && p99 < 100, `connect P99 ${p99 ?? 'n/a'} ms (< 100 ms)`));
const rss = s.runner.workers.map((w) => w.maxRssMb);
console.log(`runner workers: ${rss.length}, peak RSS ${rss.reduce((a, b) => a + b, 0)} MiB in all (${((rss.reduce((a, b) => a + b, 0) * 1024) / Math.max(1, c.succeeded)).toFixed(1)} KiB per connection)`);
JS
echo "results: $OUT (run exit code $code)"
