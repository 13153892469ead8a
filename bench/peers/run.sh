#!/usr/bin/env bash
# bench/peers: one connect-only load run by wsbench, Artillery (ws engine) and Tsung, each against
# a fresh embedded server (`runner serve`), then printed side by side (compare.js).
# How to run and what each figure means: bench/README.md.
#
#   make bench-peers                         # 5,000 connections, 30 s ramp, 30 s hold, pings every 5 s
#   CONNS=300 RAMP_S=5 HOLD_S=5 bash bench/peers/run.sh     # a quick try
#
# Settings (environment): CONNS RAMP_S HOLD_S PING_S (whole numbers), TOOLS (default
# "wsbench artillery tsung"), OUT_DIR (default bench/results/YYYYMMDD_HHMMSS), PAUSE_S (rest
# between tools, default 5), TOOL_TIMEOUT_S (per tool, default ramp + hold + 180).
set -euo pipefail

# the settings given, to write down the exact command that produced the results
GIVEN=""
for v in CONNS RAMP_S HOLD_S PING_S TOOLS; do
  if [[ -n ${!v:-} ]]; then GIVEN+="$v='${!v}' "; fi
done
CONNS=${CONNS:-5000}
RAMP_S=${RAMP_S:-30}
HOLD_S=${HOLD_S:-30}
PING_S=${PING_S:-5}
TOOLS=${TOOLS:-wsbench artillery tsung}
PAUSE_S=${PAUSE_S:-5}
TOOL_TIMEOUT_S=${TOOL_TIMEOUT_S:-$((RAMP_S + HOLD_S + 180))}

die() { echo "bench-peers: $*" >&2; exit 1; }
for v in CONNS RAMP_S HOLD_S PING_S PAUSE_S TOOL_TIMEOUT_S; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number (got '${!v}')"
done
((CONNS >= 1 && RAMP_S >= 1 && PING_S >= 1)) || die "CONNS, RAMP_S and PING_S must be at least 1"
for t in $TOOLS; do
  [[ $t == wsbench || $t == artillery || $t == tsung ]] || die "TOOLS takes wsbench, artillery, tsung (got '$t')"
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
HERE=bench/peers
SCRATCH=bench/.peers # git-ignored; Artillery lives here, never in the project's dependencies
OUT=${OUT_DIR:-bench/results/$(date +%Y%m%d_%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# ---- every process we start is ended by its PID -------------------------------------------
STARTED=()
EPMD_BEFORE=$(pgrep -x epmd || true)

descendants() { # pid → its descendants, each parent before its children
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$c"
    descendants "$c"
  done
}

kill_tree() { # pid: TERM the process and its descendants, by PID
  local pid=$1 p
  kill -0 "$pid" 2>/dev/null || return 0
  for p in $(descendants "$pid") "$pid"; do kill -TERM "$p" 2>/dev/null || true; done
}

stop_epmd_we_started() { # Tsung starts epmd as a daemon; end it if it was not running before
  local now
  now=$(pgrep -x epmd || true)
  if [[ -z $EPMD_BEFORE && -n $now ]]; then kill -TERM $now 2>/dev/null || true; fi
}

forget() { # pid: waited for, so its number may be reused; never signal it again
  local keep=() p
  for p in "${STARTED[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  STARTED=("${keep[@]}")
}

cleanup() {
  local pid
  for pid in "${STARTED[@]}"; do kill_tree "$pid"; done
  stop_epmd_we_started
}
trap cleanup EXIT
trap 'exit 130' INT TERM

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# CPU pressure (PSI): microseconds in which some runnable task waited for a CPU, with the time
# read; compare.js turns two readings into "share of the run the machine had no CPU to give"
cpu_pressure() {
  local total
  total=$(sed -n 's/^some .*total=\([0-9]*\)$/\1/p' /proc/pressure/cpu 2>/dev/null || true)
  echo "$(date +%s%3N) ${total:-}"
}

# ---- setup -----------------------------------------------------------------------------------
[[ -f dist/cli.js ]] || node build/self.js

ensure_artillery() {
  [[ -f $SCRATCH/node_modules/artillery/bin/run ]] && return 0
  mkdir -p "$SCRATCH"
  # its own package.json, or npm would walk up and install into the project
  [[ -f $SCRATCH/package.json ]] || echo '{ "name": "wsbench-peers-scratch", "private": true }' >"$SCRATCH/package.json"
  echo "installing Artillery 2 into $SCRATCH (once; a few minutes)..."
  (cd "$SCRATCH" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --ignore-scripts --no-audit --no-fund artillery@2) \
    >"$OUT/artillery-install.log" 2>&1
}

ensure_tsung() {
  command -v tsung >/dev/null && return 0
  command -v apt-get >/dev/null && [[ $(id -u) == 0 ]] || return 1
  echo "installing Tsung (apt-get install -y tsung)..."
  {
    DEBIAN_FRONTEND=noninteractive apt-get install -y tsung ||
      { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y tsung; }
  } >"$OUT/tsung-install.log" 2>&1 && command -v tsung >/dev/null
}

# ---- one tool against one fresh server -------------------------------------------------------
SERVER_PID= SERVER_PORT= SAMPLER_PID=

start_server() { # dir
  node bin/runner.js serve --port 0 --host 127.0.0.1 >"$1/server.log" 2>&1 &
  SERVER_PID=$!
  STARTED+=("$SERVER_PID")
  SERVER_PORT=
  for _ in $(seq 100); do
    SERVER_PORT=$(sed -n 's#.*listening on ws://127\.0\.0\.1:\([0-9]*\)/ws.*#\1#p' "$1/server.log")
    [[ -n $SERVER_PORT ]] && break
    sleep 0.1
  done
  [[ -n $SERVER_PORT ]] || die "the embedded server did not start: $(cat "$1/server.log")"
  node "$HERE/server-stats.js" --url "http://127.0.0.1:$SERVER_PORT/stats" --out "$1/server.json" &
  SAMPLER_PID=$!
  STARTED+=("$SAMPLER_PID")
}

stop_server() {
  sleep 1 # let the last closes reach the server's counters
  kill -TERM "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  forget "$SAMPLER_PID"
  kill_tree "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  forget "$SERVER_PID"
}

measure() { # dir cmd...: runs the tool under a time limit while proctree.js samples its tree
  local dir=$1 rc=0 tpid ppid
  shift
  timeout --kill-after=10 "$TOOL_TIMEOUT_S" "$@" >"$dir/tool.log" 2>&1 &
  tpid=$!
  STARTED+=("$tpid")
  node "$HERE/proctree.js" --pid "$tpid" --out "$dir/proctree.json" &
  ppid=$!
  STARTED+=("$ppid")
  wait "$tpid" || rc=$?
  forget "$tpid"
  wait "$ppid" || true
  forget "$ppid"
  echo "$rc" >"$dir/exit-code"
  ((rc != 124 && rc != 137)) || echo "  $(basename "$dir") hit the time limit of ${TOOL_TIMEOUT_S}s"
}

run_wsbench() { # dir
  measure "$1" node bin/runner.js run scenarios/connect-only.ts \
    --target "ws://127.0.0.1:$SERVER_PORT/ws" --conns "$CONNS" --duration "$((RAMP_S + HOLD_S))s" \
    --ramp "${RAMP_S}s" --ping-interval "${PING_S}s" \
    --summary-export "$1/summary.json" --out-dir "$1/results" --quiet
}

run_artillery() { # dir
  local overrides
  overrides=$(printf '{"config":{"target":"ws://127.0.0.1:%s/ws","phases":[{"duration":%s,"arrivalCount":%s}]}}' \
    "$SERVER_PORT" "$RAMP_S" "$CONNS")
  measure "$1" env ARTILLERY_DISABLE_TELEMETRY=true \
    PEERS_RAMP_MS=$((RAMP_S * 1000)) PEERS_HOLD_MS=$((HOLD_S * 1000)) PEERS_PING_MS=$((PING_S * 1000)) \
    node "$SCRATCH/node_modules/artillery/bin/run" run "$HERE/artillery.yml" \
    --overrides "$overrides" --output "$1/report.json" --quiet
}

tsung_conf() { # → the template with its placeholders filled and one static user per connection
  awk -v n="$CONNS" -v rampms=$((RAMP_S * 1000)) -v port="$SERVER_PORT" \
    -v endms=$(((RAMP_S + HOLD_S) * 1000)) -v pingms=$((PING_S * 1000)) -v loads=$((RAMP_S + HOLD_S + 10)) \
    -v maxrep=$(((RAMP_S + HOLD_S) / PING_S + 3)) '
    /^[ \t]*<!-- @USERS@ -->[ \t]*$/ {
      for (i = 0; i < n; i++)
        printf "    <user session=\"connect-only\" start_time=\"%d\" unit=\"millisecond\"/>\n", int(i * rampms / n)
      next
    }
    {
      gsub(/@PORT@/, port); gsub(/@MAXUSERS@/, n + 100); gsub(/@END_MS@/, endms); gsub(/@LOAD_S@/, loads)
      gsub(/@PING_MS@/, pingms); gsub(/@MAX_REPEAT@/, maxrep)
      print
    }' "$HERE/tsung.xml"
}

run_tsung() { # dir
  tsung_conf >"$1/tsung.xml"
  # loopback only: epmd and the Erlang distribution port listen on 127.0.0.1; -n: no web dashboard
  measure "$1" env ERL_EPMD_ADDRESS=127.0.0.1 ERL_FLAGS='-kernel inet_dist_use_interface {127,0,0,1}' \
    tsung -n -l "$1/log" -f "$1/tsung.xml" start
  stop_epmd_we_started
}

run_tool() { # name
  local name=$1 dir="$OUT/$1"
  mkdir -p "$dir"
  case $name in
    artillery) ensure_artillery || { echo "Artillery could not be installed (see $OUT/artillery-install.log)" >"$dir/skipped.txt"; } ;;
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
  echo "== $name: $CONNS connections, ${RAMP_S}s ramp, ${HOLD_S}s hold, pings every ${PING_S}s (load $(loadavg))"
  loadavg >"$dir/load-before"
  start_server "$dir"
  cpu_pressure >"$dir/pressure-before"
  "run_$name" "$dir"
  cpu_pressure >"$dir/pressure-after"
  stop_server
  loadavg >"$dir/load-after"
  echo "   done: exit code $(cat "$dir/exit-code"), server $(node -e 'const s=require(process.argv[1]);console.log(`accepted ${s.last?.accepted}, peak open ${s.peakOpen}`)' "$dir/server.json")"
}

# ---- main ------------------------------------------------------------------------------------
{
  echo "command: ${GIVEN}bash bench/peers/run.sh"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
  echo "load before: $(loadavg)"
  echo "settings: CONNS=$CONNS RAMP_S=$RAMP_S HOLD_S=$HOLD_S PING_S=$PING_S"
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
