import crypto from 'node:crypto';
import fs from 'node:fs';
import { redactText } from '../lib/core/redact';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../lib/scenario/config-error';
import type { SecondRecord } from '../lib/results/record';
import type { RunMeta } from '../lib/results/summarise';
import type { Summary } from '../lib/results/summary';
import type { ResolvedOptions } from '../lib/scenario/types';
import type { RunResult } from './run';

/**
 * The raw results of one generator (`raw/` in its results folder): its per-second records
 * (`raw/seconds.ndjson`, lib/results/record.ts) and its meta (`raw/totals.json`, the name kept for
 * the scripts that look for it): everything lib/results/summarise.ts needs to derive its results
 * again, alone (`runner report`, `runner compare`) or with other segments (`runner merge`). Histograms
 * stay HDR-encoded, counters stay counts; nothing here is a percentile.
 */
export const RAW_FORMAT = 2;

/** `raw/totals.json`: the run's meta, and what segments of one test must share. */
export interface RawTotals extends RunMeta {
  format: typeof RAW_FORMAT;
  /** 0-based share of this generator; `{0, 1}` for a run without `--segment`. */
  segment: { index: number; count: number };
  /** sha256 of the resolved options and thresholds in force (the target counts as "embedded" when it was): equal for segments of one test. */
  optionsHash: string;
  options: ResolvedOptions;
  /** Threshold expressions in force for the run (CLI, else scenario, else the seed's goals). */
  thresholds: string[];
  embedded: boolean;
  hostname: string;
}

export interface Raw {
  totals: RawTotals;
  seconds: SecondRecord[];
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

/** What a run's raw record says of the run beside its meta. */
export interface RawRun {
  options: ResolvedOptions;
  embedded: boolean;
  segment: { index: number; count: number };
  hostname: string;
}

/**
 * `raw/totals.json` of a summarised run (pure): its meta with the warnings, peak and abort the
 * summary found, so that summarising it again gives the same summary (runner run's rawOf, runner merge).
 */
export function rawTotalsOf(meta: RunMeta, summary: Summary, run: RawRun): RawTotals {
  const thresholds = Object.keys(summary.thresholds);
  return {
    ...meta,
    warnings: summary.runner.warnings,
    peak: summary.connections.peak,
    ...(summary.abortedByThreshold ? { abortedByThreshold: summary.abortedByThreshold } : {}),
    format: RAW_FORMAT,
    segment: run.segment,
    optionsHash: optionsHash(run.options, run.embedded, thresholds),
    options: run.options,
    thresholds,
    embedded: run.embedded,
    hostname: run.hostname,
  };
}

/** The raw record of a finished run of `runner run`. */
export function rawOf(r: RunResult, summary: Summary, segment: { index: number; count: number } | undefined): Raw {
  const { schedule: _found, ...meta } = r.meta;
  const run = { options: r.options, embedded: r.embedded, segment: segment ?? { index: 0, count: 1 }, hostname: os.hostname() };
  return { totals: rawTotalsOf(meta, summary, run), seconds: r.records };
}

/** Writes `raw/totals.json` and `raw/seconds.ndjson` into a results folder. */
export function writeRaw(dir: string, raw: Raw): void {
  const rawDir = path.join(dir, 'raw');
  fs.mkdirSync(rawDir, { recursive: true });
  fs.writeFileSync(path.join(rawDir, 'totals.json'), redactText(`${JSON.stringify(raw.totals)}\n`));
  fs.writeFileSync(path.join(rawDir, 'seconds.ndjson'), redactText(raw.seconds.map((s) => `${JSON.stringify(s)}\n`).join('')));
}

/** Reads a results folder's raw record; a folder without one is named in a one-line error. */
export function readRaw(dir: string, command = 'merge'): Raw {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new ConfigError(`${command}: ${dir} is not a folder (give the results folders of the segments)`);
  const file = path.join(dir, 'raw', 'totals.json');
  if (!fs.existsSync(file)) {
    throw new ConfigError(`${command}: ${dir} has no raw/totals.json (give results folders written by runner run --segment i/n)`);
  }
  let totals: RawTotals;
  let seconds: SecondRecord[];
  try {
    totals = JSON.parse(fs.readFileSync(file, 'utf8')) as RawTotals;
    const lines = fs.existsSync(path.join(dir, 'raw', 'seconds.ndjson'))
      ? fs.readFileSync(path.join(dir, 'raw', 'seconds.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '')
      : [];
    seconds = lines.map((l) => JSON.parse(l) as SecondRecord);
  } catch (err) {
    throw new ConfigError(`${command}: ${dir}/raw is damaged (${(err as Error).message}); run that segment again`);
  }
  if (totals.format !== RAW_FORMAT) {
    throw new ConfigError(`${command}: ${dir}/raw/totals.json has format ${JSON.stringify(totals.format)}, this runner reads format ${RAW_FORMAT}`);
  }
  return { totals, seconds };
}
