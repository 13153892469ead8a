#!/usr/bin/env bash
# make bench-k6 (issue 22): the cost per VU of the wsbench k6 bundle against a hand-written k6 script.
# The same load on both: 500 VUs ramped over 10 s, held 20 s, a protocol ping every 5 s
# (bench/k6-cost/hold.ts built with `runner build --target k6`, and bench/k6-cost/hand-written.js),
# each against its own embedded server (`runner serve --port 0`), one after the other. Prints the
# k6 process's CPU (user + sys) and peak RSS (both from /usr/bin/time), the ratio bundle ÷ hand-written,
# and the server's own accepted / pings counts (GET /stats) to show that the two loads were equal.
# k6: WSBENCH_K6 (a binary or a folder of k6-vX.Y.Z binaries: test/k6-real/k6-binaries.js), else PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
export K6_NO_USAGE_REPORT=true K6_AUTO_EXTENSION_RESOLUTION=false

K6=$(node -e '
  const { binaries, why } = require("./test/k6-real/k6-binaries.js").findK6();
  const b = binaries.find((x) => !x.legacy);
  if (!b) { console.log("-" + (why ?? "no k6 of v1.6 or later (the hand-written script needs k6/websockets)")); process.exit(0); }
  console.log(b.path + " " + b.version);')
if [[ $K6 == -* ]]; then echo "bench-k6: skipped: ${K6#-}"; exit 0; fi
K6_VERSION=${K6#* }; K6=${K6%% *}
if [[ ! -x /usr/bin/time ]]; then echo "bench-k6: needs /usr/bin/time (apt-get install time)" >&2; exit 1; fi

OUT=${BENCH_OUT:-bench/results/$(date +%Y%m%d_%H%M%S)_k6}
mkdir -p "$OUT"
node bin/runner.js build bench/k6-cost/hold.ts --target k6 --out-dir "$OUT" >/dev/null
BUNDLE_KB=$(( $(stat -c %s "$OUT/hold.js") / 1024 ))
echo "k6 $K6_VERSION ($K6); bundle $OUT/hold.js: $BUNDLE_KB KiB; results in $OUT"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

SERVER_PID=
stop_server() { if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; fi; }
trap stop_server EXIT

# measure NAME SCRIPT: one k6 run against a fresh embedded server; writes $OUT/NAME.{time,stats,log}
measure() {
  local name=$1 script=$2 port
  node bin/runner.js serve --port 0 >"$OUT/$name.serve.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do grep -q 'stats at' "$OUT/$name.serve.log" && break; sleep 0.1; done
  port=$(sed -n 's#.*stats at http://127.0.0.1:\([0-9]*\)/stats.*#\1#p' "$OUT/$name.serve.log")
  [[ -n $port ]] || { echo "bench-k6: the embedded server did not start: $(cat "$OUT/$name.serve.log")" >&2; exit 1; }
  /usr/bin/time -f '%U %S %M %e' -o "$OUT/$name.time" \
    "$K6" run --quiet -e "TARGET=ws://127.0.0.1:$port/ws" "$script" >"$OUT/$name.log" 2>&1 \
    || { echo "bench-k6: k6 run $script failed, see $OUT/$name.log" >&2; exit 1; }
  node -e 'fetch(process.argv[1]).then((r) => r.text()).then((t) => process.stdout.write(t))' "http://127.0.0.1:$port/stats" >"$OUT/$name.stats"
  stop_server
}
measure bundle "$OUT/hold.js"
measure hand bench/k6-cost/hand-written.js
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

node -e '
  const fs = require("node:fs");
  const out = process.argv[1];
  const t = (n) => { const [u, s, kb, wall] = fs.readFileSync(`${out}/${n}.time`, "utf8").trim().split("\n").pop().split(" ").map(Number); return { cpu: u + s, mib: kb / 1024, wall }; };
  const s = (n) => JSON.parse(fs.readFileSync(`${out}/${n}.stats`, "utf8"));
  const b = { ...t("bundle"), ...s("bundle") }, h = { ...t("hand"), ...s("hand") };
  const rows = [
    ["k6 CPU (s, user + sys)", b.cpu.toFixed(2), h.cpu.toFixed(2), (b.cpu / h.cpu).toFixed(2) + "×"],
    ["k6 peak RSS (MiB)", b.mib.toFixed(1), h.mib.toFixed(1), (b.mib / h.mib).toFixed(2) + "×"],
    ["k6 wall time (s)", b.wall.toFixed(1), h.wall.toFixed(1), ""],
    ["server: accepted", b.accepted, h.accepted, ""],
    ["server: pings", b.pings, h.pings, ""],
  ];
  const w = [24, 12, 14, 22];
  const line = (r) => r.map((c, i) => String(c).padEnd(w[i])).join(" ").trimEnd();
  console.log(line(["", "bundle", "hand-written", "bundle ÷ hand-written"]));
  for (const r of rows) console.log(line(r));
' "$OUT" | tee "$OUT/table.txt"
