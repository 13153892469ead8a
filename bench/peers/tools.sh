# bench/peers/tools.sh: how each tool is started for each LOAD (sourced by run.sh).
# Loads: connect (no heartbeat), ping (a heartbeat every PING_S), messaging (RATE msgs/s of SIZE
# bytes from user i to user i+1, for SEND_S seconds once all are up). Every tool opens CONNS
# connections evenly over RAMP_S and closes them all at ramp + hold, counted from its first one.

END_S() { echo $((RAMP_S + HOLD_S)); }
# messaging: 1 s of warmup after the ramp, SEND_S of messages, 2 s of drain (wsbench's defaults)
if [[ $LOAD == messaging ]]; then HOLD_S=$((SEND_S + 3)); fi

floor_args() { # the floors' common arguments
  local a=(--url "ws://127.0.0.1:$SERVER_PORT/ws" --conns "$CONNS" --ramp-ms $((RAMP_S * 1000)) --hold-ms $((HOLD_S * 1000)) --out "$1/summary.json")
  case $LOAD in
    ping) a+=(--ping-ms $((PING_S * 1000))) ;;
    messaging) a+=(--mode messaging --rate "$RATE" --size "$SIZE" --send-ms $((SEND_S * 1000)) --warmup-ms 1000) ;;
  esac
  printf '%s\n' "${a[@]}"
}

run_floor() { mapfile -t args < <(floor_args "$1"); measure "$1" node "$HERE/floor.js" "${args[@]}"; }
run_floor-raw() { mapfile -t args < <(floor_args "$1"); measure "$1" node "$HERE/floor.js" "${args[@]}" --transport raw; }
run_floor-net() { mapfile -t args < <(floor_args "$1"); measure "$1" node "$HERE/floor-net.js" "${args[@]}"; }

run_wsbench-ws() { TRANSPORT=ws run_wsbench "$1"; }
run_wsbench-raw() { TRANSPORT=raw run_wsbench "$1"; }

run_wsbench() { # dir (TRANSPORT=ws or raw: that client; unset: the runner's default, --transport auto)
  local common=(${TRANSPORT:+--transport "$TRANSPORT"} --target "ws://127.0.0.1:$SERVER_PORT/ws" --conns "$CONNS" --duration "$(END_S)s" --ramp "${RAMP_S}s"
    --summary-export "$1/summary.json" --out-dir "$1/results" --quiet)
  case $LOAD in
    # a ping interval that outlasts the run: no heartbeat, as in the other tools
    connect) measure "$1" node bin/runner.js run scenarios/connect-only.ts "${common[@]}" --ping-interval "$(($(END_S) + 60))s" ;;
    ping) measure "$1" node bin/runner.js run scenarios/connect-only.ts "${common[@]}" --ping-interval "${PING_S}s" ;;
    messaging) measure "$1" node bin/runner.js run scenarios/messaging.ts "${common[@]}" --mode messaging \
      --msg-rate "$RATE" --msg-size "$SIZE" --room-size 0 --ping-interval "$(($(END_S) + 60))s" ;;
  esac
}

run_artillery() { # dir
  local overrides yml=$HERE/artillery.yml ping=$((PING_S * 1000))
  [[ $LOAD == connect ]] && ping=0
  [[ $LOAD == messaging ]] && yml=$HERE/artillery-messaging.yml
  overrides=$(printf '{"config":{"target":"ws://127.0.0.1:%s/ws","phases":[{"duration":%s,"arrivalCount":%s}]}}' \
    "$SERVER_PORT" "$RAMP_S" "$CONNS")
  measure "$1" env ARTILLERY_DISABLE_TELEMETRY=true \
    PEERS_RAMP_MS=$((RAMP_S * 1000)) PEERS_HOLD_MS=$((HOLD_S * 1000)) PEERS_PING_MS=$ping \
    PEERS_CONNS="$CONNS" PEERS_RATE="$RATE" PEERS_SIZE="$SIZE" PEERS_SEND_MS=$((SEND_S * 1000)) \
    node "$SCRATCH/node_modules/artillery/bin/run" run "$yml" \
    --overrides "$overrides" --output "$1/report.json" --quiet
}

tsung_conf() { # → the template with its placeholders filled and one static user per connection
  local template=$HERE/tsung.xml pingms=$((PING_S * 1000)) endms=$(($(END_S) * 1000))
  [[ $LOAD == connect ]] && pingms=$endms # one think time to the end: no heartbeat
  [[ $LOAD == messaging ]] && template=$HERE/tsung-messaging.xml
  awk -v n="$CONNS" -v rampms=$((RAMP_S * 1000)) -v port="$SERVER_PORT" \
    -v endms=$endms -v pingms=$pingms -v loads=$(($(END_S) + 10)) \
    -v maxrep=$(($(END_S) * 1000 / pingms + 3)) -v startms=$(((RAMP_S + 1) * 1000)) \
    -v sendn=$((SEND_S * RATE - 1)) -v periodms="$(awk -v r="$RATE" 'BEGIN { printf "%.3f", 1 / r }')" -v size="$SIZE" '
    /^[ \t]*<!-- @USERS@ -->[ \t]*$/ {
      for (i = 0; i < n; i++)
        printf "    <user session=\"s\" start_time=\"%d\" unit=\"millisecond\"/>\n", int(i * rampms / n)
      next
    }
    {
      gsub(/@PORT@/, port); gsub(/@MAXUSERS@/, n + 100); gsub(/@END_MS@/, endms); gsub(/@LOAD_S@/, loads)
      gsub(/@PING_MS@/, pingms); gsub(/@MAX_REPEAT@/, maxrep); gsub(/@CONNS@/, n); gsub(/@START_MS@/, startms)
      gsub(/@SEND_N@/, sendn); gsub(/@PERIOD_S@/, periodms); gsub(/@SIZE@/, size)
      print
    }' "$template"
}

run_tsung() { # dir
  tsung_conf >"$1/tsung.xml"
  # loopback only: epmd and the Erlang distribution port listen on 127.0.0.1; -n: no web dashboard
  measure "$1" env ERL_EPMD_ADDRESS=127.0.0.1 ERL_FLAGS='-kernel inet_dist_use_interface {127,0,0,1}' \
    tsung -n -l "$1/log" -f "$1/tsung.xml" start
  stop_epmd_we_started
}
