import crypto from 'node:crypto';
import fs from 'node:fs';
import { redactText } from '../lib/core/redact';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../lib/scenario/config-error';
import type { MetricsSnapshot } from '../lib/metrics/registry';
import type { Summary, WorkerDiagnostics } from '../lib/results/summary';
import type { SecondRow } from '../lib/results/timeseries';
import type { ResolvedOptions } from '../lib/scenario/types';
import type { RunResult } from './run';

/**
 * The raw results of one generator (`raw/` in its results folder): everything `runner merge`
 * needs to rebuild the summary of n generators exactly as if one had run them. Histograms stay
 * HDR-encoded, counters stay counts; nothing here is a percentile.
 */
export const RAW_FORMAT = 1;

/** `raw/totals.json`. */
export interface RawTotals {
  format: typeof RAW_FORMAT;
  scenario: string;
  /** 0-based share of this generator; `{0, 1}` for a run without `--segment`. */
  segment: { index: number; count: number };
  /** sha256 of the resolved options and thresholds in force (the target counts as "embedded" when it was): equal for segments of one test. */
  optionsHash: string;
  options: ResolvedOptions;
  /** Threshold expressions in force for the run (CLI, else scenario, else the seed's goals). */
  thresholds: string[];
  embedded: boolean;
  /** Wall-clock epoch ms at which the run's clock read 0, and at which the run ended. */
  startWall: number;
  endWall: number;
  interrupted: boolean;
  /** Set when an abortOnFail threshold stopped this segment. */
  abortedByThreshold?: Summary['abortedByThreshold'];
  peak: number;
  final: number;
  totals: MetricsSnapshot;
  workers: WorkerDiagnostics[];
  warnings: string[];
  hostname: string;
}

/** One line of `raw/seconds.ndjson`: one second of this generator, all its workers merged. */
export interface RawSecond {
  /** Second of this generator's clock, and its wall-clock start (epoch ms). */
  sec: number;
  wall: number;
  open: number;
  interval: MetricsSnapshot;
  cpuPct: number;
  cpuPctMax: number;
  loopDelayMs: number;
  rssMb: number;
}

/** JSON with object keys sorted, so that equal values hash equally whatever the key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** What must be equal for segments to belong to one test: each segment's own embedded server has its own port, so it reads "embedded". */
export function comparableOptions(options: ResolvedOptions, embedded: boolean, thresholds: string[]): Record<string, unknown> {
  return { ...options, target: embedded ? 'embedded' : options.target, thresholds };
}

export function optionsHash(options: ResolvedOptions, embedded: boolean, thresholds: string[]): string {
  return crypto.createHash('sha256').update(canonical(comparableOptions(options, embedded, thresholds))).digest('hex');
}

/** The raw record of a finished run (pure). */
export function rawOf(
  r: RunResult, summary: Summary, segment: { index: number; count: number } | undefined,
): { totals: RawTotals; seconds: RawSecond[] } {
  const thresholds = Object.keys(summary.thresholds);
  const rows = new Map<number, SecondRow>(r.timeseries.map((row) => [row.sec, row]));
  return {
    totals: {
      format: RAW_FORMAT,
      scenario: r.options.scenario,
      segment: segment ?? { index: 0, count: 1 },
      optionsHash: optionsHash(r.options, r.embedded, thresholds),
      options: r.options,
      thresholds,
      embedded: r.embedded,
      startWall: r.startWall,
      endWall: r.endWall,
      interrupted: summary.interrupted,
      ...(summary.abortedByThreshold ? { abortedByThreshold: summary.abortedByThreshold } : {}),
      peak: summary.connections.peak,
      final: summary.connections.final,
      totals: r.totals,
      workers: summary.runner.workers,
      warnings: summary.runner.warnings,
      hostname: os.hostname(),
    },
    seconds: r.seconds.map((s) => {
      const row = rows.get(s.sec);
      return {
        sec: s.sec, wall: r.startWall + s.sec * 1000, open: s.open, interval: s.interval,
        cpuPct: row?.cpuPct ?? 0, cpuPctMax: row?.cpuPctMax ?? 0, loopDelayMs: row?.loopDelayMs ?? 0, rssMb: row?.rssMb ?? 0,
      };
    }),
  };
}

/** Writes `raw/totals.json` and `raw/seconds.ndjson` into a results folder. */
export function writeRaw(dir: string, raw: { totals: RawTotals; seconds: RawSecond[] }): void {
  const rawDir = path.join(dir, 'raw');
  fs.mkdirSync(rawDir, { recursive: true });
  fs.writeFileSync(path.join(rawDir, 'totals.json'), redactText(`${JSON.stringify(raw.totals)}\n`));
  fs.writeFileSync(path.join(rawDir, 'seconds.ndjson'), redactText(raw.seconds.map((s) => `${JSON.stringify(s)}\n`).join('')));
}

/** Reads a results folder's raw record; a folder without one is named in a one-line error. */
export function readRaw(dir: string): { totals: RawTotals; seconds: RawSecond[] } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new ConfigError(`merge: ${dir} is not a folder (give the results folders of the segments)`);
  const file = path.join(dir, 'raw', 'totals.json');
  if (!fs.existsSync(file)) {
    throw new ConfigError(`merge: ${dir} has no raw/totals.json (give results folders written by runner run --segment i/n)`);
  }
  let totals: RawTotals;
  let seconds: RawSecond[];
  try {
    totals = JSON.parse(fs.readFileSync(file, 'utf8')) as RawTotals;
    const lines = fs.existsSync(path.join(dir, 'raw', 'seconds.ndjson'))
      ? fs.readFileSync(path.join(dir, 'raw', 'seconds.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '')
      : [];
    seconds = lines.map((l) => JSON.parse(l) as RawSecond);
  } catch (err) {
    throw new ConfigError(`merge: ${dir}/raw is damaged (${(err as Error).message}); run that segment again`);
  }
  if (totals.format !== RAW_FORMAT) {
    throw new ConfigError(`merge: ${dir}/raw/totals.json has format ${JSON.stringify(totals.format)}, this runner reads format ${RAW_FORMAT}`);
  }
  return { totals, seconds };
}
