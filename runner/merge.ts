import path from 'node:path';
import type { Argv } from 'yargs';
import { ConfigError } from '../lib/scenario/config-error';
import { renderReport } from '../lib/results/report/html';
import { uplotAssets } from './uplot';
import { formatSummary, Lang } from '../lib/results/report/text';
import { alignRecords, SecondRecord } from '../lib/results/record';
import { RunMeta, summarise } from '../lib/results/summarise';
import { arrivalPlan } from '../lib/results/arrivals-summary';
import type { Summary, WorkerDiagnostics } from '../lib/results/summary';
import type { SecondRow } from '../lib/results/timeseries';
import type { ResolvedOptions } from '../lib/scenario/types';
import { thresholdLines, thresholdsFor } from '../lib/results/verdict';
import { checkLang } from './flags';
import { comparableOptions, rawTotalsOf, RawTotals, readRaw, writeRaw } from './raw';
import { writeResults } from './results';

/** The raw results of one generator, as read from its results folder. */
export interface Segment {
  dir: string;
  totals: RawTotals;
  seconds: SecondRecord[];
}

const label = (s: Segment): string => `${s.totals.segment.index}/${s.totals.segment.count}`;
const where = (s: Segment): string => `${label(s)} in ${s.dir}`;

/**
 * Segments merge only when they are the n shares of one test: one scenario, one split, each
 * index exactly once, the same options. Throws a one-line ConfigError naming what is wrong.
 */
export function checkSegments(segs: Segment[]): void {
  if (segs.length === 0) throw new ConfigError('merge: give the results folders of the segments, e.g. runner merge seg-0 seg-1 seg-2 --out merged');
  const scenarios = groupBy(segs, (s) => s.totals.scenario);
  if (scenarios.size > 1) {
    const parts = [...scenarios].map(([name, group]) => `${name} (${group.map(where).join(', ')})`);
    throw new ConfigError(`merge: segments of different scenarios: ${parts.join(' vs ')}`);
  }
  const counts = groupBy(segs, (s) => String(s.totals.segment.count));
  if (counts.size > 1) {
    throw new ConfigError(`merge: segments of different splits: ${segs.map(where).join(', ')} (give the n folders of one --segment i/n run)`);
  }
  const n = (segs[0] as Segment).totals.segment.count;
  const byIndex = groupBy(segs, (s) => String(s.totals.segment.index));
  for (const group of byIndex.values()) {
    if (group.length > 1) throw new ConfigError(`merge: segment ${label(group[0] as Segment)} given twice: ${group.map((s) => s.dir).join(' and ')}`);
  }
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !byIndex.has(String(i)));
  if (missing.length > 0) {
    const got = [...segs].sort((a, b) => a.totals.segment.index - b.totals.segment.index).map(label).join(', ');
    const names = missing.map((i) => `${i}/${n}`).join(', ');
    throw new ConfigError(`merge: segment${missing.length > 1 ? 's' : ''} ${names} missing: got ${got}`);
  }
  const first = segs.reduce((a, b) => (b.totals.segment.index < a.totals.segment.index ? b : a));
  for (const s of segs) {
    if (s.totals.optionsHash === first.totals.optionsHash) continue;
    const a = comparableOptions(first.totals.options, first.totals.embedded, first.totals.thresholds);
    const b = comparableOptions(s.totals.options, s.totals.embedded, s.totals.thresholds);
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    throw new ConfigError(
      `merge: segments ran different options: ${where(s)} differs from ${where(first)} in ${keys.length ? keys.join(', ') : 'its options hash'} (merge only the segments of one test)`,
    );
  }
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    out.set(k, [...(out.get(k) ?? []), it]);
  }
  return out;
}

export interface Merged {
  summary: Summary;
  timeseries: SecondRow[];
  options: ResolvedOptions;
  /** The merged run's raw record: its records on one wall clock and its meta. */
  records: SecondRecord[];
  meta: RunMeta;
  exitCode: number;
}

/**
 * One run from n checked segments, as if one generator had run them: their records on one wall
 * clock (lib/results/record.ts alignRecords), summarised as any run is (lib/results/summarise.ts):
 * totals merged exactly, waves and recovery from the merged seconds, final and failures summed.
 */
export function mergeSegments(segs: Segment[], cliThresholds?: string[]): Merged {
  checkSegments(segs);
  const ordered = [...segs].sort((a, b) => a.totals.segment.index - b.totals.segment.index);
  const first = ordered[0] as Segment;
  const records = alignRecords(ordered.map((s) => s.seconds), ordered.map(label));
  const targets = [...new Set(ordered.map((s) => s.totals.options.target))];
  const workers: WorkerDiagnostics[] = [];
  for (const s of ordered) for (const w of s.totals.workers) workers.push({ ...w, index: workers.length, segment: label(s) } as WorkerDiagnostics);
  // an abortOnFail threshold that stopped a segment fails the whole run, as it would have stopped one generator
  const aborted = ordered.map((s) => s.totals.abortedByThreshold).filter((a) => a !== undefined).sort((x, y) => x.atSec - y.atSec)[0];
  const meta: RunMeta = {
    scenario: first.totals.scenario,
    target: targets.join(', '),
    mode: first.totals.options.mode,
    startWall: Math.min(...ordered.map((s) => s.totals.startWall)),
    measuredEndWall: Math.max(...ordered.map((s) => s.totals.measuredEndWall)),
    endWall: Math.max(...ordered.map((s) => s.totals.endWall)),
    interrupted: ordered.some((s) => s.totals.interrupted),
    peak: Math.max(...ordered.map((s) => s.totals.peak)),
    final: ordered.reduce((n, s) => n + s.totals.final, 0),
    workers,
    warnings: [...startSpreadWarning(ordered), ...ordered.flatMap((s) => s.totals.warnings.map((w) => `segment ${label(s)}: ${w}`))],
    reconnecting: first.totals.reconnecting,
    adjustments: ordered.flatMap((s) => s.totals.adjustments),
    ...(first.totals.options.metrics ? { declared: first.totals.options.metrics } : {}),
    ...(aborted ? { abortedByThreshold: aborted } : {}),
  };
  const arrivals = arrivalPlan(first.totals.options.stages); // the whole run's: the segments together
  if (arrivals) meta.arrivals = arrivals;
  const r = summarise(records, meta, thresholdsFor(cliThresholds, first.totals.thresholds));
  return { summary: r.summary, timeseries: r.timeseries, options: first.totals.options, records, meta, exitCode: r.exitCode };
}

/** Segments whose starts lie apart by more than this ran the test's stages at visibly different times. */
const START_SPREAD_MS = 2000;

function startSpreadWarning(segs: Segment[]): string[] {
  const byStart = [...segs].sort((a, b) => a.totals.startWall - b.totals.startWall);
  const firstSeg = byStart[0] as Segment;
  const lastSeg = byStart[byStart.length - 1] as Segment;
  const spread = lastSeg.totals.startWall - firstSeg.totals.startWall;
  if (spread <= START_SPREAD_MS) return [];
  return [
    `segments started ${(spread / 1000).toFixed(1)} s apart (${label(firstSeg)} first, ${label(lastSeg)} last): ` +
      'the whole test\'s load was the sum of the segments only while they overlapped; start them together',
  ];
}

/** `runner merge`'s flags. */
export function mergeFlags<T>(y: Argv<T>) {
  return y
    .positional('dirs', { type: 'string', array: true, describe: 'results folders of the segments (runner run --segment i/n --out-dir ...)' })
    .option('out', { type: 'string', describe: 'folder for the merged results (required)' })
    .option('threshold', { type: 'string', array: true, describe: 'pass/fail criteria, replacing those the segments ran with' })
    .option('lang', { type: 'string', default: 'en', describe: 'report language: en | zh' });
}

export interface MergeArgs {
  dirs: string[];
  out?: string;
  threshold?: string[];
  lang?: string;
}

/** `runner merge <dir>... --out <dir>`: prints the merged summary, writes the merged results folder, returns the exit code. */
export function mergeCommand(a: MergeArgs, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): number {
  const lang: Lang = checkLang(a.lang);
  if (!a.out) throw new ConfigError('merge: give --out <dir>, the folder for the merged results');
  const outAbs = path.resolve(a.out);
  if (a.dirs.some((d) => path.resolve(d) === outAbs)) throw new ConfigError(`merge: --out ${a.out} is one of the segment folders; give a new folder`);
  const segs: Segment[] = a.dirs.map((dir) => ({ dir, ...readRaw(dir) }));
  const m = mergeSegments(segs, a.threshold);
  const text = formatSummary(m.summary, lang, (s) => thresholdLines(s, lang));
  out.write(`${text}\n`);
  const segments = segs.map((s) => ({
    segment: label(s), dir: path.resolve(s.dir), hostname: s.totals.hostname, target: s.totals.options.target,
    startedAt: new Date(s.totals.startWall).toISOString(), durationSec: (s.totals.endWall - s.totals.startWall) / 1000,
    interrupted: s.totals.interrupted, peak: s.totals.peak, final: s.totals.final,
  }));
  writeResults(a.out, {
    ...m, text, extra: { 'segments.json': segments, 'report.html': renderReport({ summary: m.summary, timeseries: m.timeseries, uplot: uplotAssets() }) },
  });
  // the merged run's own raw record: runner report and runner compare summarise it like any run's
  const first = segs.reduce((x, y) => (y.totals.segment.index < x.totals.segment.index ? y : x));
  const run = { options: m.options, embedded: first.totals.embedded, segment: { index: 0, count: 1 }, hostname: first.totals.hostname };
  writeRaw(a.out, { totals: rawTotalsOf(m.meta, m.summary, run), seconds: m.records });
  err.write(`merged ${segs.length} segment${segs.length > 1 ? 's' : ''}: ${outAbs}\n`);
  return m.exitCode;
}
