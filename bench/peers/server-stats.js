#!/usr/bin/env node
'use strict';
/**
 * The server's side of the story: samples the embedded server's GET /stats once a second and
 * keeps the peak of `open` (the server only counts, it has no peak of its own).
 *
 *   node bench/peers/server-stats.js --url http://127.0.0.1:<port>/stats --out <file.json>
 *
 * Runs until SIGTERM/SIGINT, then reads /stats one last time and writes
 * { peakOpen, peakOpenAtSec, firstAcceptAtSec, lastAcceptAtSec, openSeconds,
 *   last: <the final counters>, finalRead, samples, failedSamples }.
 * firstAcceptAtSec / lastAcceptAtSec: first sample with accepted > 0 and the sample at which
 * accepted last grew, i.e. the ramp as the server saw it (to the second). openSeconds: the sum of
 * `open` × the time since the previous sample, the connection-seconds the tool really held.
 */
const fs = require('node:fs');

function parseArgs(argv) {
  const args = { intervalMs: 1000 };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--url') args.url = v;
    else if (k === '--out') args.out = v;
    else if (k === '--interval-ms') args.intervalMs = Number(v);
    else throw new Error(`unknown argument ${k}`);
  }
  if (!args.url || !args.out) {
    process.stderr.write('usage: server-stats.js --url http://127.0.0.1:<port>/stats --out <file.json>\n');
    process.exit(1);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const state = { peakOpen: 0, peakOpenAtSec: 0, firstAcceptAtSec: undefined, lastAcceptAtSec: undefined, openSeconds: 0, last: undefined, samples: 0, failedSamples: 0 };
  let prevAt;

  async function sample(timeoutMs = Math.max(200, args.intervalMs - 100)) {
    try {
      const res = await fetch(args.url, { signal: AbortSignal.timeout(timeoutMs) });
      const stats = await res.json();
      const now = Date.now();
      const at = (now - t0) / 1000;
      state.samples++;
      if (stats.accepted > 0) state.firstAcceptAtSec ??= at;
      if (stats.accepted > (state.last?.accepted ?? 0)) state.lastAcceptAtSec = at;
      // open × the time it covers (the server's count is exact; only the time is sampled)
      if (prevAt !== undefined) state.openSeconds += ((state.last?.open ?? 0) + stats.open) / 2 * ((now - prevAt) / 1000);
      prevAt = now;
      state.last = stats;
      if (stats.open > state.peakOpen) {
        state.peakOpen = stats.open;
        state.peakOpenAtSec = at;
      }
    } catch {
      // a busy server may miss one sample; the count says how many
      state.failedSamples++;
      return false;
    }
    return true;
  }

  let stopping = false;
  const timer = setInterval(() => void sample(), args.intervalMs);
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    // the final counters are the figures: a saturated server may answer late, so wait for them
    // (up to 3 × 10 s); finalRead false means `last` is an earlier sample and the table says so
    let ok = false;
    for (let i = 0; i < 3 && !ok; i++) ok = await sample(10_000);
    state.finalRead = ok;
    fs.writeFileSync(args.out, JSON.stringify({ ...state, openSeconds: Math.round(state.openSeconds) }, null, 2) + '\n');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  await sample();
}

void main();
