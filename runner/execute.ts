import fs from 'node:fs';
import { redactText } from '../lib/core/redact';
import path from 'node:path';
import { ConfigError } from '../lib/scenario/config-error';
import { renderReport } from '../lib/results/report/html';
import { uplotAssets } from './uplot';
import { formatSummary, LABELS, Lang } from '../lib/results/report/text';
import { checkPaths, DEFAULT_THRESHOLDS, evaluate, liveBreach, parseThreshold, Threshold } from '../lib/results/thresholds';
import { emptySnapshot } from '../lib/metrics/registry';
import { buildSummary, Summary } from '../lib/results/summary';
import type { Dashboard } from './dashboard';
import { K6JsonOut } from './out-json';
import { Progress } from './progress';
import { rawOf, writeRaw } from './raw';
import { defaultResultsDir, environment, writeResults } from './results';
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
  /** The summary goes to `out`; notes, progress and the results folder's path to `err`. Nothing else is written to. */
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** `--out json=FILE`: k6-style NDJSON points, streamed each second. */
  jsonOut?: string;
  /** `--dashboard`: the live endpoints' address and linger time. */
  dashboard?: { host: string; port: number; lingerMs: number };
}

/** Thresholds in force: CLI, else the scenario's, else the seed's goals. */
export function thresholdsFor(cli: string[] | undefined, scenario: string[]): Threshold[] {
  const exprs = cli && cli.length > 0 ? cli : scenario.length > 0 ? scenario : DEFAULT_THRESHOLDS;
  return exprs.map(parseThreshold);
}

export function thresholdLines(s: Summary, lang: Lang = 'en'): string[] {
  const entries = Object.entries(s.thresholds);
  if (entries.length === 0) return [];
  const out = ['', `--- ${LABELS[lang].thresholds} ---`];
  for (const [expr, r] of entries) {
    const crossed = s.abortedByThreshold?.threshold === expr ? `; crossed at second ${s.abortedByThreshold.atSec} (${s.abortedByThreshold.value}): run aborted` : '';
    out.push(`${r.value === null ? '–' : r.ok ? '✓' : '✗'} ${expr}   (${r.value === null ? 'no data' : r.value}${crossed})`);
  }
  return out;
}

/**
 * Evaluates the thresholds in force into the summary. The one an abortOnFail stopped the run on
 * (one generator's, or the first segment's) fails, whatever the partial final value says.
 */
export function judge(s: Summary, thresholds: Threshold[], aborted: Summary['abortedByThreshold']): void {
  s.thresholds = evaluate(s, thresholds);
  if (!aborted) return;
  s.abortedByThreshold = aborted;
  const hit = s.thresholds[aborted.threshold];
  if (hit) hit.ok = false;
}

/** The exit code of a judged summary: aborted by a threshold, interrupted, thresholds crossed or held. */
export function exitCodeOf(s: Summary): number {
  if (s.abortedByThreshold) return EXIT.thresholds;
  if (s.interrupted) return EXIT.interrupted;
  return Object.values(s.thresholds).every((t) => t.ok) ? EXIT.ok : EXIT.thresholds;
}

/** Paths outside `metrics.` and `messages.` (open-ended) must name a summary field before the run starts. */
function checkThresholdPaths(thresholds: Threshold[]): void {
  const fixed = thresholds.filter((t) => t.path[0] !== 'metrics' && t.path[0] !== 'messages');
  const probe = buildSummary({
    scenario: '', target: '', mode: '', startedAt: new Date(0), durationSec: 0, interrupted: false,
    totals: emptySnapshot(), peak: 0, final: 0, workers: [], warnings: [],
  });
  checkPaths(probe, fixed);
}

/**
 * `runner run` and `wsbench`: runs, prints the summary, writes the results folder and the
 * summary export, and returns the exit code. Ctrl-C once: stop and report; twice: exit at once.
 */
export async function execute(o: ExecuteOptions): Promise<number> {
  if (o.thresholds) o.thresholds.forEach(parseThreshold); // a malformed threshold fails before the run
  const progress = o.quiet ? undefined : new Progress(o.err);
  let thresholds: Threshold[] = [];
  let jsonOut: K6JsonOut | undefined;
  let breach: Summary['abortedByThreshold'];
  let dashboard: Dashboard | undefined;
  const run: Run = new Run({
    ...o.run,
    onOptions: (options) => {
      dashboard?.setOptions(options);
      thresholds = thresholdsFor(o.thresholds, options.thresholds);
      checkThresholdPaths(thresholds);
      if (o.jsonOut) jsonOut = new K6JsonOut(o.jsonOut, { scenario: options.scenario });
    },
    onSecond: (row, live, interval, workers) => {
      dashboard?.onSecond(row, live, interval, workers);
      progress?.update(row, live);
      jsonOut?.second(row);
      // k6's abortOnFail: judged on the live summary each second; the first crossing stops the run
      if (breach || !thresholds.some((t) => t.abortOnFail)) return;
      const hit = liveBreach(run.liveSummary(), thresholds);
      if (!hit || !run.interrupt()) return; // crossed after the run ended: the final evaluation fails it
      breach = { threshold: hit.threshold.expr, atSec: live.elapsedSec, value: hit.value };
      o.err.write(`\nthreshold ${hit.threshold.expr} crossed at second ${live.elapsedSec} (${hit.value}): aborting the run (abortOnFail)\n`);
    },
    onNote: (line) => o.err.write(`${line}\n`),
  });
  // loaded only when asked for: prom-client and the page stay out of every other run's start
  if (o.dashboard) dashboard = await (await import('./dashboard')).startDashboard({ ...o.dashboard, segment: o.run.segment, liveSummary: () => run.liveSummary(), log: (l) => o.err.write(`${l}\n`) });
  // Ctrl-C twice: quit at once with the last snapshots' summary, without waiting for the run
  let quit: (code: number) => void = () => undefined;
  const quitting = new Promise<number>((resolve) => (quit = resolve));
  let presses = 0;
  const onSignal = (): void => {
    presses++;
    if (presses === 1) {
      o.err.write('\ninterrupted: stopping VUs and closing connections (Ctrl-C again to quit at once)\n');
      run.interrupt();
      return;
    }
    const s = run.abort();
    if (s) {
      o.out.write(`${formatSummary(s, o.lang)}\n`);
      // the counts of the last snapshots (each worker's latest second), marked interrupted
      if (o.summaryExport) {
        try {
          fs.writeFileSync(o.summaryExport, redactText(`${JSON.stringify(s, null, 2)}\n`));
        } catch {
          // quitting at once: a write that fails is not worth a message
        }
      }
    }
    quit(EXIT.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result: RunResult | number;
  const started = run.start();
  try {
    result = await Promise.race([started, quitting]);
  } catch (err) {
    await dashboard?.close();
    throw err;
  } finally {
    progress?.done();
    jsonOut?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (typeof result === 'number') {
    started.catch(() => undefined); // the killed run's own ending is of no interest now
    await dashboard?.close();
    return result;
  }
  const s = result.summary;
  judge(s, thresholds, breach);
  const text = formatSummary(s, o.lang, (sum) => thresholdLines(sum, o.lang));
  o.out.write(`${text}\n`);
  const dir = o.outDir ?? defaultResultsDir();
  const report = renderReport({ summary: s, timeseries: result.timeseries, uplot: uplotAssets() });
  writeResults(dir, { summary: s, text, timeseries: result.timeseries, options: result.options, extra: { 'environment.json': environment(), 'report.html': report } });
  writeRaw(dir, rawOf(result, s, o.run.segment)); // for runner merge
  o.err.write(`results: ${path.resolve(dir)}\n`);
  if (o.summaryExport) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(o.summaryExport)), { recursive: true });
      fs.writeFileSync(o.summaryExport, redactText(`${JSON.stringify(s, null, 2)}\n`));
    } catch (err) {
      throw new ConfigError(`--summary-export: cannot write ${o.summaryExport}: ${(err as Error).message}`);
    }
  }
  await dashboard?.finish(s);
  const code = exitCodeOf(s);
  const seg = o.run.segment;
  if (code === EXIT.thresholds && !s.abortedByThreshold && seg && seg.count > 1) {
    // one generator's share is not the test: the verdict is the merged run's, so that one share's
    // crossing neither fails its Kubernetes Job (stopping the other segments) nor passes for the whole
    o.err.write(`segment ${seg.index}/${seg.count}: thresholds crossed on this share; runner merge judges the whole run\n`);
    return EXIT.ok;
  }
  return code;
}
