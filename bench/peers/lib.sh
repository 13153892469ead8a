# bench/peers/lib.sh: process control, installs and the embedded server for run.sh (sourced).
# Every process started here is recorded in STARTED and ended by its PID (also on Ctrl-C).

STARTED=()
EPMD_BEFORE=$(pgrep -x epmd || true)

die() { echo "bench-peers: $*" >&2; exit 1; }

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

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# CPU pressure (PSI): microseconds in which some runnable task waited for a CPU, with the time
# read; compare.js turns two readings into "share of the run the machine had no CPU to give"
cpu_pressure() {
  local total
  total=$(sed -n 's/^some .*total=\([0-9]*\)$/\1/p' /proc/pressure/cpu 2>/dev/null || true)
  echo "$(date +%s%3N) ${total:-}"
}

# user+system CPU ticks of a process and its live children (the server and its cluster workers)
ticks_of() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'; }
server_ticks() {
  local total c
  total=$(ticks_of "$SERVER_PID")
  for c in $(pgrep -P "$SERVER_PID" || true); do total=$((total + $(ticks_of "$c" || echo 0))); done
  echo "${total:-0} $(getconf CLK_TCK)"
}

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

# wsbench's RawWebSocket bundled (with ws) for floor.js --transport raw: the floor-raw column
ensure_raw_bundle() {
  [[ -f $SCRATCH/raw-ws.js && $SCRATCH/raw-ws.js -nt lib/node/raw-ws.ts && $SCRATCH/raw-ws.js -nt lib/node/raw-upgrade.ts ]] && return 0
  mkdir -p "$SCRATCH"
  npx --no-install esbuild lib/node/raw-ws.ts --bundle --platform=node --format=cjs --target=node20 \
    --external:bufferutil --external:utf-8-validate --outfile="$SCRATCH/raw-ws.js" --log-level=warning
}

SERVER_PID= SERVER_PORT= SAMPLER_PID=

start_server() { # dir
  node bin/runner.js serve --port 0 --host 127.0.0.1 >"$1/server.log" 2>&1 &
  SERVER_PID=$!
  STARTED+=("$SERVER_PID")
  SERVER_PORT=
  for _ in $(seq 300); do
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
