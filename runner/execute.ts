import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../lib/duration';
import { formatSummary, Lang } from '../lib/report/text';
import { DEFAULT_THRESHOLDS, evaluate, parseThreshold, Threshold } from '../lib/thresholds';
import type { Summary } from '../lib/summary';
import { Progress } from './progress';
import { defaultResultsDir, writeResults } from './results';
import { Run, RunConfig, RunResult } from './run';

/** Exit codes of DESIGN.md. */
export const EXIT = { ok: 0, badInput: 1, thresholds: 99, interrupted: 130 } as const;

export interface ExecuteOptions {
  run: RunConfig;
  summaryExport?: string;
  outDir?: string;
  quiet: boolean;
  lang: Lang;
  /** Thresholds from the CLI (they replace the scenario's); undefined keeps the scenario's or the defaults. */
  thresholds?: string[];
  out: NodeJS.WritableStream;
}

/** Thresholds in force: CLI, else the scenario's, else the seed's goals. */
export function thresholdsFor(cli: string[] | undefined, scenario: string[]): Threshold[] {
  const exprs = cli && cli.length > 0 ? cli : scenario.length > 0 ? scenario : DEFAULT_THRESHOLDS;
  return exprs.map(parseThreshold);
}

function thresholdLines(s: Summary): string[] {
  const entries = Object.entries(s.thresholds);
  if (entries.length === 0) return [];
  const out = ['', '--- Thresholds ---'];
  for (const [expr, r] of entries) out.push(`${r.ok ? '✓' : '✗'} ${expr}   (${r.value === null ? 'no data' : r.value})`);
  return out;
}

/**
 * `runner run` and `wsbench`: runs, prints the summary, writes the results folder and the
 * summary export, and returns the exit code. Ctrl-C once: stop and report; twice: exit at once.
 */
export async function execute(o: ExecuteOptions): Promise<number> {
  if (o.thresholds) o.thresholds.forEach(parseThreshold); // a malformed threshold fails before the run
  const progress = o.quiet ? undefined : new Progress();
  const run = new Run({
    ...o.run,
    onSecond: progress ? (row, live) => progress.update(row, live) : undefined,
    onNote: (line) => process.stderr.write(`${line}\n`),
  });
  let presses = 0;
  const onSignal = (): void => {
    presses++;
    if (presses === 1) {
      process.stderr.write('\ninterrupted: stopping VUs and closing connections (Ctrl-C again to quit at once)\n');
      run.interrupt();
    } else {
      const s = run.abort();
      if (s) o.out.write(`${formatSummary(s, o.lang)}\n`);
      process.exit(EXIT.interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result: RunResult;
  try {
    result = await run.start();
  } finally {
    progress?.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const s = result.summary;
  const thresholds = thresholdsFor(o.thresholds, result.options.thresholds);
  s.thresholds = evaluate(s, thresholds);
  const text = formatSummary(s, o.lang, (sum) => thresholdLines(sum));
  o.out.write(`${text}\n`);
  const dir = o.outDir ?? defaultResultsDir();
  writeResults(dir, { summary: s, text, timeseries: result.timeseries, options: result.options });
  process.stderr.write(`results: ${path.resolve(dir)}\n`);
  if (o.summaryExport) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(o.summaryExport)), { recursive: true });
      fs.writeFileSync(o.summaryExport, `${JSON.stringify(s, null, 2)}\n`);
    } catch (err) {
      throw new ConfigError(`--summary-export: cannot write ${o.summaryExport}: ${(err as Error).message}`);
    }
  }
  if (s.interrupted) return EXIT.interrupted;
  return Object.values(s.thresholds).every((t) => t.ok) ? EXIT.ok : EXIT.thresholds;
}
