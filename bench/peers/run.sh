#!/usr/bin/env bash
# bench/peers: one load run in turn by the floors, wsbench, Artillery (ws engine) and Tsung, each
# against a fresh embedded server (`runner serve`), then printed side by side with every figure
# as a ratio to the floor of the same run (compare.js). How to run and what each figure means:
# bench/README.md.
#
#   make bench-peers-connect     # LOAD=connect: 10,000 connections over 30 s, held to 60 s, no heartbeat
#   make bench-peers-ping        # LOAD=ping: 5,000 connections, 30 s ramp, 30 s hold, pings every 5 s
#   make bench-peers-messaging   # LOAD=messaging: 1,000 users, 10 msgs/s of 256 B each to the next, 30 s
#   LOAD=connect CONNS=1000 RAMP_S=5 HOLD_S=5 bash bench/peers/run.sh     # a quick try
#
# Settings (environment): LOAD, CONNS RAMP_S HOLD_S PING_S RATE SIZE SEND_S (whole numbers), TOOLS,
# OUT_DIR (default bench/results/YYYYMMDD_HHMMSS_<load>), PAUSE_S (rest between tools, default 5),
# TOOL_TIMEOUT_S (per tool, default ramp + hold + 180).
set -euo pipefail

LOAD=${LOAD:-ping}
GIVEN="LOAD=$LOAD "
for v in CONNS RAMP_S HOLD_S PING_S RATE SIZE SEND_S TOOLS; do
  if [[ -n ${!v:-} ]]; then GIVEN+="$v='${!v}' "; fi
done
case $LOAD in
  connect) : "${CONNS:=10000}" "${RAMP_S:=30}" "${HOLD_S:=30}" "${TOOLS:=floor floor-net floor-raw wsbench wsbench-ws artillery tsung}" ;;
  ping) : "${CONNS:=5000}" "${RAMP_S:=30}" "${HOLD_S:=30}" "${TOOLS:=floor floor-net floor-raw wsbench wsbench-ws artillery tsung}" ;;
  messaging) : "${CONNS:=1000}" "${RAMP_S:=10}" "${HOLD_S:=0}" "${TOOLS:=floor wsbench wsbench-ws artillery tsung}" ;;
  *) echo "bench-peers: LOAD takes connect, ping or messaging (got '$LOAD')" >&2; exit 1 ;;
esac
PING_S=${PING_S:-5}
RATE=${RATE:-10}
SIZE=${SIZE:-256}
SEND_S=${SEND_S:-30}
PAUSE_S=${PAUSE_S:-5}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
HERE=bench/peers
SCRATCH=bench/.peers # git-ignored; Artillery and the raw-ws bundle live here, never in the project's dependencies
source "$HERE/lib.sh"
source "$HERE/tools.sh" # sets HOLD_S for messaging

TOOL_TIMEOUT_S=${TOOL_TIMEOUT_S:-$((RAMP_S + HOLD_S + 180))}
for v in CONNS RAMP_S HOLD_S PING_S RATE SIZE SEND_S PAUSE_S TOOL_TIMEOUT_S; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number (got '${!v}')"
done
((CONNS >= 1 && RAMP_S >= 1 && PING_S >= 1 && RATE >= 1 && SIZE >= 80)) || die "CONNS, RAMP_S, PING_S, RATE must be at least 1, SIZE at least 80"
for t in $TOOLS; do
  case $t in floor | floor-net | floor-raw | wsbench | wsbench-ws | wsbench-raw | artillery | tsung) ;; *) die "TOOLS takes floor, floor-net, floor-raw, wsbench, wsbench-ws, wsbench-raw, artillery, tsung (got '$t')" ;; esac
  [[ $LOAD != messaging || ($t != floor-net && $t != floor-raw) ]] || die "$t has no messaging load (TOOLS='floor wsbench artillery tsung')"
done

OUT=${OUT_DIR:-bench/results/$(date +%Y%m%d_%H%M%S)_$LOAD}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
trap cleanup EXIT
trap 'exit 130' INT TERM

[[ -f dist/cli.js ]] || node build/self.js

run_tool() { # name
  local name=$1 dir="$OUT/$1"
  mkdir -p "$dir"
  case $name in
    artillery) ensure_artillery || echo "Artillery could not be installed (see $OUT/artillery-install.log)" >"$dir/skipped.txt" ;;
    floor-raw) ensure_raw_bundle || echo "the raw-ws bundle could not be built (esbuild)" >"$dir/skipped.txt" ;;
    tsung)
      if ! ensure_tsung; then
        if [[ -f $OUT/tsung-install.log ]]; then
          echo "apt-get install -y tsung failed (see $OUT/tsung-install.log)" >"$dir/skipped.txt"
        else
          echo "tsung is not installed, and apt-get (as root) is not available to install it" >"$dir/skipped.txt"
        fi
      fi
      ;;
  esac
  if [[ -f $dir/skipped.txt ]]; then
    echo "== $name: skipped: $(cat "$dir/skipped.txt")"
    return 0
  fi
  echo "== $name: $LOAD load, $CONNS connections, ${RAMP_S}s ramp, ${HOLD_S}s hold (load $(loadavg))"
  loadavg >"$dir/load-before"
  start_server "$dir"
  cpu_pressure >"$dir/pressure-before"
  server_ticks >"$dir/server-cpu-before"
  "run_$name" "$dir"
  server_ticks >"$dir/server-cpu-after"
  cpu_pressure >"$dir/pressure-after"
  stop_server
  loadavg >"$dir/load-after"
  echo "   done: exit code $(cat "$dir/exit-code"), server $(node -e 'const s=require(process.argv[1]);console.log(`accepted ${s.last?.accepted}, peak open ${s.peakOpen}`)' "$dir/server.json")"
}

{
  echo "command: ${GIVEN}bash bench/peers/run.sh"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
  echo "load before: $(loadavg)"
  echo "settings: LOAD=$LOAD CONNS=$CONNS RAMP_S=$RAMP_S HOLD_S=$HOLD_S PING_S=$PING_S RATE=$RATE SIZE=$SIZE SEND_S=$SEND_S"
} >"$OUT/meta.txt"
echo "results: $OUT"

first=1
for t in $TOOLS; do
  ((first)) || sleep "$PAUSE_S" # let TIME_WAIT sockets and CPU settle between tools
  first=0
  run_tool "$t"
done
echo "load after: $(loadavg)" >>"$OUT/meta.txt"

node "$HERE/compare.js" "$OUT" | tee "$OUT/table.md"
