import type { RecoveryEvent } from '../core/run-clock';
import { addInto, createHistogram, decodeHistogram, encodeHistogram, Histogram, LatencyStats, latencyStats, mergeEncoded, recordMs } from './histogram';
import { mergeRecovery, RecoveryBook, RecoverySnapshot } from './recovery';

export type { RecoverySnapshot } from './recovery';

/** Everything one process measured, in a form that crosses process boundaries and merges exactly. */
export interface MetricsSnapshot {
  counters: Record<string, number>;
  rates: Record<string, { passes: number; total: number }>;
  /** HDR histograms, compressed base64, values in microseconds. */
  trends: Record<string, string>;
  /** Connection failures by class (`ECONNREFUSED`, `HTTP 503`, `timeout`, ...). */
  errors: Record<string, number>;
  /** Disconnects (closed by the other side) by class (`1006 abnormal closure`, `ECONNRESET`, ...). */
  disconnects: Record<string, number>;
  /** Recovery of reconnecting VUs by the run second they were dropped in (lib/metrics/recovery.ts); absent when none. */
  recovery?: Record<string, RecoverySnapshot>;
}

/** Counters, rates and HDR trends of one process: one histogram per metric, never one per VU. */
export class Registry {
  readonly counters = new Map<string, number>();
  readonly rates = new Map<string, { passes: number; total: number }>();
  readonly trends = new Map<string, Histogram>();
  readonly errors = new Map<string, number>();
  readonly disconnects = new Map<string, number>();
  private readonly recoveries = new RecoveryBook();
  /** Each trend's last encoding and its count then: a histogram nothing was recorded into since is not encoded again (the worker sends its totals every second). */
  private readonly encoded = new Map<string, { count: number; enc: string }>();

  add(name: string, value = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + value);
  }

  rate(name: string, ok: boolean): void {
    let r = this.rates.get(name);
    if (!r) this.rates.set(name, (r = { passes: 0, total: 0 }));
    r.total++;
    if (ok) r.passes++;
  }

  trend(name: string, ms: number): void {
    recordMs(this.histogram(name), ms);
  }

  /** The trend's histogram, made on first use; `reset()` empties it in place, so a caller may keep it. */
  histogram(name: string): Histogram {
    let h = this.trends.get(name);
    if (!h) this.trends.set(name, (h = createHistogram()));
    return h;
  }

  error(kind: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  disconnect(kind: string): void {
    this.disconnects.set(kind, (this.disconnects.get(kind) ?? 0) + 1);
  }

  recovery(e: RecoveryEvent): void {
    this.recoveries.record(e);
  }

  /** Adds another snapshot into this registry, exactly (the coordinator's running totals); recovery is left out. */
  absorb(snap: MetricsSnapshot): void {
    for (const [k, v] of Object.entries(snap.counters)) this.add(k, v);
    for (const [k, v] of Object.entries(snap.errors)) this.errors.set(k, (this.errors.get(k) ?? 0) + v);
    for (const [k, v] of Object.entries(snap.disconnects)) this.disconnects.set(k, (this.disconnects.get(k) ?? 0) + v);
    for (const [k, r] of Object.entries(snap.rates)) {
      const o = this.rates.get(k) ?? { passes: 0, total: 0 };
      this.rates.set(k, { passes: o.passes + r.passes, total: o.total + r.total });
    }
    for (const [k, enc] of Object.entries(snap.trends)) {
      if (isEmptyEncoding(enc)) continue;
      const h = this.trends.get(k);
      if (!h) {
        this.trends.set(k, decodeHistogram(enc)); // a histogram of our settings, autoResize: it is the total so far
        continue;
      }
      const d = decodeHistogram(enc);
      addInto(h, d);
      d.destroy();
    }
  }

  /** Latency statistics of one trend, straight from its histogram (all zeros when it recorded nothing). */
  stats(name: string): LatencyStats {
    const h = this.trends.get(name);
    if (h) return latencyStats(h);
    const empty = createHistogram();
    const s = latencyStats(empty);
    empty.destroy();
    return s;
  }

  snapshot(): MetricsSnapshot {
    const trends: Record<string, string> = {};
    for (const [k, h] of this.trends) trends[k] = this.encode(k, h);
    const rates: MetricsSnapshot['rates'] = {};
    for (const [k, r] of this.rates) rates[k] = { ...r };
    const out: MetricsSnapshot = {
      counters: Object.fromEntries(this.counters),
      rates,
      trends,
      errors: Object.fromEntries(this.errors),
      disconnects: Object.fromEntries(this.disconnects),
    };
    const recovery = this.recoveries.snapshot();
    if (recovery) out.recovery = recovery;
    return out;
  }

  private encode(name: string, h: Histogram): string {
    const count = h.totalCount;
    if (count === 0) return (emptyEncoding ??= encodeHistogram(createHistogram()));
    const kept = this.encoded.get(name);
    if (kept && kept.count === count) return kept.enc;
    const enc = encodeHistogram(h);
    this.encoded.set(name, { count, enc });
    return enc;
  }

  /** Clears everything (used for per-second interval registries). */
  reset(): void {
    this.encoded.clear();
    this.counters.clear();
    this.rates.clear();
    for (const h of this.trends.values()) h.reset();
    this.errors.clear();
    this.disconnects.clear();
    this.recoveries.reset();
  }
}

/** The encoding of an empty histogram (every empty trend of every second's snapshot). */
let emptyEncoding: string | undefined;

export function emptySnapshot(): MetricsSnapshot {
  return { counters: {}, rates: {}, trends: {}, errors: {}, disconnects: {} };
}

function sumInto(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** Exact merge: counters and classes summed, rates summed, histograms added bucket by bucket. */
export function mergeSnapshots(snaps: MetricsSnapshot[]): MetricsSnapshot {
  const out = emptySnapshot();
  const trendParts = new Map<string, string[]>();
  for (const s of snaps) {
    sumInto(out.counters, s.counters);
    sumInto(out.errors, s.errors);
    sumInto(out.disconnects, s.disconnects);
    for (const [k, r] of Object.entries(s.rates)) {
      const o = (out.rates[k] ??= { passes: 0, total: 0 });
      o.passes += r.passes;
      o.total += r.total;
    }
    for (const [k, t] of Object.entries(s.trends)) {
      const parts = trendParts.get(k) ?? [];
      parts.push(t);
      trendParts.set(k, parts);
    }
  }
  for (const [k, parts] of trendParts) {
    out.trends[k] = parts.length === 1 ? (parts[0] as string) : encodeHistogram(mergeEncoded(parts));
  }
  const recovery = mergeRecovery(snaps.map((s) => s.recovery));
  if (recovery) out.recovery = recovery;
  return out;
}

/** True for the encoding every empty trend of a snapshot gets (no need to decode it). */
export const isEmptyEncoding = (enc: string): boolean => enc === emptyEncoding;

/** The last statistics computed per trend, with their encoding: the live view asks for the same totals every second. */
const lastStats = new Map<string, { enc: string; stats: LatencyStats }>();

/** Latency statistics of one trend of a snapshot; all zeros when it recorded nothing. */
export function statsOf(snap: MetricsSnapshot, name: string): LatencyStats {
  const enc = snap.trends[name];
  const kept = enc === undefined ? undefined : lastStats.get(name);
  if (kept && kept.enc === enc) return { ...kept.stats };
  const h = enc && !isEmptyEncoding(enc) ? decodeHistogram(enc) : createHistogram();
  const s = latencyStats(h);
  h.destroy();
  if (enc !== undefined) lastStats.set(name, { enc, stats: { ...s } });
  return s;
}
