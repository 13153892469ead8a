#!/usr/bin/env bash
# dockerd.sh up|down STATE_DIR: a Docker daemon for `make test-deploy`.
#   up    uses the daemon that already answers; else starts Debian's dockerd the way this kind of
#         machine allows (no iptables, no bridge: containers use --network host; vfs storage, as
#         overlayfs is not available inside every container) and writes its PID to STATE_DIR/dockerd.pid
#   down  stops only the daemon that `up` started (by that PID), never one it found running
set -euo pipefail

cmd="${1:?usage: dockerd.sh up|down STATE_DIR}"
state="${2:?usage: dockerd.sh up|down STATE_DIR}"
pidfile="$state/dockerd.pid"
mkdir -p "$state"

case "$cmd" in
  up)
    if docker info >/dev/null 2>&1; then
      echo "dockerd: using the daemon already running"
      exit 0
    fi
    command -v dockerd >/dev/null || { echo "dockerd.sh: no dockerd (apt-get install -y docker.io)" >&2; exit 1; }
    dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs \
      --pidfile "$state/dockerd.pidfile" >"$state/dockerd.log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 120); do
      if docker info >/dev/null 2>&1; then
        echo "dockerd: started (pid $(cat "$pidfile"), log $state/dockerd.log)"
        exit 0
      fi
      kill -0 "$(cat "$pidfile")" 2>/dev/null || break
      sleep 0.5
    done
    echo "dockerd.sh: dockerd did not come up; its log:" >&2
    tail -n 20 "$state/dockerd.log" >&2
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
    exit 1
    ;;
  down)
    [ -f "$pidfile" ] || exit 0
    pid="$(cat "$pidfile")"
    rm -f "$pidfile"
    kill -TERM "$pid" 2>/dev/null || exit 0
    # dockerd stops its containerd and containers first; give it the time it needs
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || { echo "dockerd: stopped (pid $pid)"; exit 0; }
      sleep 0.5
    done
    echo "dockerd: pid $pid still stopping after 30 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    ;;
  *)
    echo "usage: dockerd.sh up|down STATE_DIR" >&2
    exit 1
    ;;
esac
