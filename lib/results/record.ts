import { mergeSnapshots, MetricsSnapshot } from '../metrics/registry';

/**
 * The per-second record: the one source of truth of a run (docs/architecture.md, "The per-second
 * record"). Workers send one interval snapshot a second; the coordinator merges the workers' parts of
 * each second into one record; `raw/seconds.ndjson` is these records; the summary, the waves and
 * their recovery, the time series and the verdict are all derived from them (lib/results/summarise.ts),
 * for `runner run`, `runner merge`, `runner report` and `runner compare` alike.
 */

/** One worker's own measurements in one second. */
export interface WorkerSample {
  /** The worker's index; after `runner merge`, `<segment>:<index>` (e.g. `1/3:0`). */
  worker: string;
  /** CPU used in the second, % of one core; the whole machine's CPU, % of all cores. */
  cpuPct: number;
  machineCpuPct: number;
  /** Event-loop delay p99 and max of the second, ms. */
  loopP99Ms: number;
  loopMaxMs: number;
  rssBytes: number;
}

export interface SecondRecord {
  /** Second of the run's clock (0 = the first), and its wall-clock start (epoch ms). */
  sec: number;
  wall: number;
  /** Connections open at the end of the second, over every worker. */
  open: number;
  /** Everything recorded in the second, every worker's part merged exactly (recovery by drop second included). */
  interval: MetricsSnapshot;
  workers: WorkerSample[];
}

/** A part of one second: one worker's report over IPC, or one generator's record in `runner merge`. */
export type SecondPart = Pick<SecondRecord, 'interval' | 'open' | 'workers'>;

/** The parts of one second merged into its record. Pure. */
export function recordOf(sec: number, wall: number, parts: SecondPart[]): SecondRecord {
  return {
    sec,
    wall,
    open: parts.reduce((n, p) => n + p.open, 0),
    interval: mergeSnapshots(parts.map((p) => p.interval)),
    workers: parts.flatMap((p) => p.workers),
  };
}

/**
 * Records of several generators (the segments of one test) on one wall clock: each generator's
 * second goes to the whole wall-clock second nearest its start (generators start up to a few
 * hundred ms apart), and the records that meet there merge exactly. `labels[i]` prefixes the worker
 * names of generator i. Pure.
 */
export function alignRecords(runs: SecondRecord[][], labels: string[]): SecondRecord[] {
  const byWallSec = new Map<number, SecondPart[]>();
  runs.forEach((records, i) => {
    for (const r of records) {
      const k = Math.round(r.wall / 1000);
      const workers = r.workers.map((w) => ({ ...w, worker: `${labels[i]}:${w.worker}` }));
      byWallSec.set(k, [...(byWallSec.get(k) ?? []), { interval: r.interval, open: r.open, workers }]);
    }
  });
  const keys = [...byWallSec.keys()].sort((a, b) => a - b);
  const base = keys[0];
  return base === undefined ? [] : keys.map((k) => recordOf(k - base, k * 1000, byWallSec.get(k) as SecondPart[]));
}

/** The totals of a run: every second's interval, and any adjustment (worker deaths), merged exactly. Pure. */
export function totalsOf(records: SecondRecord[], adjustments: MetricsSnapshot[] = []): MetricsSnapshot {
  const totals = mergeSnapshots([...records.map((r) => r.interval), ...adjustments]);
  delete totals.recovery; // read per wave from the records (lib/results/waves.ts), not from the totals
  return totals;
}
