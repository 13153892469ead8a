import { decodeHistogram, Histogram, latencyStats, mergeEncoded } from '../metrics/histogram';
import { M } from '../core/metric-names';
import type { MetricsSnapshot } from '../metrics/registry';
import { nullStats } from './stats';
import type { DisconnectWave } from './wave-types';

export type { DisconnectWave, RecoverySec } from './wave-types';

/**
 * Disconnect waves (docs/architecture.md, "Public contracts"): at least 5% of the open connections, and at least 100, closing
 * within 2 s. Found in the per-second interval snapshots of a run; with reconnect on, each wave's
 * recovery is read from the records' `recovery` field, by the second the VUs were dropped in (lib/metrics/recovery.ts),
 * so that it counts exactly the VUs that wave dropped. Pure.
 */

/** One second of the run (a per-second record, lib/results/record.ts): its interval snapshot and the connections open at its end. */
export interface WaveSecond {
  sec: number;
  open: number;
  interval: MetricsSnapshot;
}



export const WAVE_MIN_SHARE = 0.05;
export const WAVE_MIN_DROPPED = 100;
export const WAVE_WINDOW_SEC = 2;

/** Drops that make a wave when `open` connections were open before: 5% of them, and at least 100. */
export function waveThreshold(open: number): number {
  return Math.max(WAVE_MIN_DROPPED, Math.ceil(open * WAVE_MIN_SHARE));
}

const disc = (s: WaveSecond | undefined): number => s?.interval.counters[M.disconnects] ?? 0;

/** Where waves start and end, from per-second disconnects and open counts. Pure. */
export function waveSpans(seconds: Array<{ sec: number; open: number; disconnects: number }>): Array<{ atSec: number; endSec: number; openBefore: number; dropped: number }> {
  const bySec = new Map(seconds.map((s) => [s.sec, s]));
  const d = (sec: number): number => bySec.get(sec)?.disconnects ?? 0;
  const window = (sec: number): number => {
    let n = 0;
    for (let i = 0; i < WAVE_WINDOW_SEC; i++) n += d(sec + i);
    return n;
  };
  const out: Array<{ atSec: number; endSec: number; openBefore: number; dropped: number }> = [];
  const sorted = [...seconds].sort((a, b) => a.sec - b.sec);
  let after = -Infinity;
  for (const s of sorted) {
    if (s.sec <= after || s.disconnects === 0) continue;
    // open at the end of the previous second, plus what closed in this one before this second's end
    const openBefore = Math.max(bySec.get(s.sec - 1)?.open ?? 0, s.open + s.disconnects);
    const thr = waveThreshold(openBefore);
    if (window(s.sec) < thr) continue;
    // the wave goes on while its drops keep coming within the 2 s window: a second with none (a
    // worker's clock stalled on a loaded machine) between two with many does not split it
    let end = s.sec + (d(s.sec + 1) > 0 ? 1 : 0);
    while (window(end + 1) >= thr) end = d(end + 1) > 0 ? end + 1 : end + 2;
    let dropped = 0;
    for (let i = s.sec; i <= end; i++) dropped += d(i);
    out.push({ atSec: s.sec, endSec: end, openBefore, dropped });
    after = end;
  }
  return out;
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;


/** Seconds until `share` of `dropped` VUs were open again, from the downtimes of those that were. */
function recoveryAt(h: Histogram, dropped: number, share: number): number | null {
  const rank = Math.ceil(dropped * share);
  if (rank === 0 || rank > h.totalCount) return null;
  return round3(h.getValueAtPercentile((rank / h.totalCount) * 100) / 1e6);
}

/**
 * Waves of a run. `reconnecting`: reconnect was on, so each wave gets its recovery (zeros and
 * nulls when nothing came back). Pure.
 */
export function detectWaves(seconds: WaveSecond[], reconnecting: boolean): DisconnectWave[] {
  const spans = waveSpans(seconds.map((s) => ({ sec: s.sec, open: s.open, disconnects: disc(s) })));
  if (spans.length === 0) return [];
  return spans.map((sp) => {
    const classes: Record<string, number> = {};
    for (const s of seconds) {
      if (s.sec < sp.atSec || s.sec > sp.endSec) continue;
      for (const [k, n] of Object.entries(s.interval.disconnects)) classes[k] = (classes[k] ?? 0) + n;
    }
    const wave: DisconnectWave = { ...sp, classes };
    if (reconnecting) Object.assign(wave, recoveryOf(seconds, sp.atSec, sp.endSec, sp.dropped));
    return wave;
  });
}

/** The recovery of the VUs dropped in seconds from..to, from the recovery booked in every second. */
function recoveryOf(seconds: WaveSecond[], from: number, to: number, dropped: number): Partial<DisconnectWave> {
  const downtime: string[] = [];
  const connecting: string[] = [];
  let attempts = 0;
  const failureClasses: Record<string, number> = {};
  for (const s of seconds) {
    for (const [dropSec, r] of Object.entries(s.interval.recovery ?? {})) {
      if (Number(dropSec) < from || Number(dropSec) > to) continue;
      downtime.push(r.downtime);
      connecting.push(r.connecting);
      attempts += r.attempts;
      for (const [cls, n] of Object.entries(r.failed)) failureClasses[cls] = (failureClasses[cls] ?? 0) + n;
    }
  }
  const down = mergeEncoded(downtime);
  const lat = mergeEncoded(connecting);
  const out: Partial<DisconnectWave> = {
    recovered: down.totalCount,
    recoverySec: { p50: recoveryAt(down, dropped, 0.5), p90: recoveryAt(down, dropped, 0.9), p99: recoveryAt(down, dropped, 0.99) },
    attempts,
    failures: Object.values(failureClasses).reduce((a, b) => a + b, 0),
    failureClasses,
    reconnectLatencyMs: lat.totalCount > 0 ? latencyStats(lat) : nullStats(),
  };
  down.destroy();
  lat.destroy();
  return out;
}

/** Count of samples of a trend in one snapshot (0 when none). */
export function trendCount(snap: MetricsSnapshot, name: string): number {
  const enc = snap.trends[name];
  if (!enc) return 0;
  const h = decodeHistogram(enc);
  const n = h.totalCount;
  h.destroy();
  return n;
}
