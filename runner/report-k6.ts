import fs from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { redactText } from '../lib/core/redact';
import { defaultsOf } from '../lib/options/options';
import { renderReport } from '../lib/results/report/html';
import { formatSummary } from '../lib/results/report/text';
import { summarise } from '../lib/results/summarise';
import { checkThresholdPaths, thresholdLines, thresholdsFor } from '../lib/results/verdict';
import { ConfigError } from '../lib/scenario/config-error';
import type { ResolvedOptions } from '../lib/scenario/types';
import { readK6File } from './k6-file';
import { optionsHash, RAW_FORMAT, writeRaw } from './raw';
import { reportCommand } from './report-command';
import { defaultResultsDir } from './results';
import type { Streams } from './serve';
import { uplotAssets } from './uplot';

/**
 * `runner report --k6 FILE`: a wsbench results folder (summary.json, summary.txt,
 * timeseries.ndjson, report.html, raw/) from the samples of `k6 run --out json=FILE`, derived by the
 * one derivation of every run (lib/results/summarise.ts), so that `runner report` and `runner
 * compare` read it as any run's folder (docs/k6.md, "wsbench's report for a k6 run").
 */

export interface ReportArgs {
  dir?: string;
  k6?: string;
  outDir?: string;
  threshold?: string[];
}

/** The report command's flags. */
export function reportFlags<T>(y: Argv<T>) {
  return y
    .positional('dir', { type: 'string', describe: 'results folder, e.g. bench/results/20260101_120000' })
    .option('k6', { type: 'string', describe: 'instead: the file of k6 run --out json=FILE (plain or .gz), rebuilt into a results folder' })
    .option('out-dir', { type: 'string', describe: 'with --k6: the results folder to write (default bench/results/YYYYMMDD_HHMMSS)' })
    .option('threshold', { type: 'string', array: true, describe: 'with --k6: pass/fail criteria (default: the seed\'s goals)' });
}

/** `runner report <dir>`, or `runner report --k6 FILE [--out-dir DIR]`: the exit code. */
export async function report(a: ReportArgs, io: Streams): Promise<number> {
  if (a.k6 === undefined) {
    if (a.outDir !== undefined || a.threshold !== undefined) throw new ConfigError('report: --out-dir and --threshold go with --k6 FILE');
    if (a.dir === undefined) throw new ConfigError('report: give a results folder (runner report bench/results/...) or --k6 FILE');
    return reportCommand(a.dir, io.stdout);
  }
  if (a.dir !== undefined) throw new ConfigError(`report: give a results folder or --k6 FILE, not both (got ${a.dir})`);
  return reportK6(a.k6, a.outDir ?? defaultResultsDir(), a.threshold, io);
}

/** The scenario's name in the summary: the file's name without `.json` / `.gz`. */
const scenarioOf = (file: string): string => path.basename(file).replace(/\.gz$/, '').replace(/\.(nd)?json$/, '');

async function reportK6(file: string, dir: string, cliThresholds: string[] | undefined, io: Streams): Promise<number> {
  const thresholds = thresholdsFor(cliThresholds, []);
  checkThresholdPaths(thresholds);
  const run = await readK6File(file, scenarioOf(file));
  const r = summarise(run.records, run.meta, thresholds);
  const text = formatSummary(r.summary, 'en', (s) => thresholdLines(s, 'en'));
  io.stdout.write(`${text}\n`);
  fs.mkdirSync(dir, { recursive: true });
  // every file passes the redactor (lib/core/redact.ts), as runner/results.ts writes a run's
  const write = (name: string, body: string): void => fs.writeFileSync(path.join(dir, name), redactText(body));
  write('summary.json', `${JSON.stringify(r.summary, null, 2)}\n`);
  write('summary.txt', `${text}\n`);
  write('timeseries.ndjson', r.timeseries.map((row) => `${JSON.stringify(row)}\n`).join(''));
  write('report.html', renderReport({ summary: r.summary, timeseries: r.timeseries, uplot: uplotAssets() }));
  const exprs = thresholds.map((t) => t.expr);
  // k6's output holds no options: the defaults, with what the samples tell (target, mode) and no stages
  const options = { ...defaultsOf(), scenario: run.meta.scenario, target: run.meta.target, mode: run.meta.mode, stages: [], thresholds: exprs, extra: {} } as unknown as ResolvedOptions;
  writeRaw(dir, {
    totals: {
      ...run.meta, warnings: r.summary.runner.warnings, peak: r.summary.connections.peak, format: RAW_FORMAT, segment: { index: 0, count: 1 },
      optionsHash: optionsHash(options, false, exprs), options, thresholds: exprs, embedded: false, hostname: '',
    },
    seconds: run.records,
  });
  io.stderr.write(`results: ${path.resolve(dir)}\n`);
  return r.exitCode;
}
