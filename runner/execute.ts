import fs from 'node:fs';
import { redactText } from '../lib/core/redact';
import path from 'node:path';
import { ConfigError } from '../lib/scenario/config-error';
import { renderReport } from '../lib/results/report/html';
import { uplotAssets } from './uplot';
import { formatSummary, Lang } from '../lib/results/report/text';
import { liveBreach, parseThreshold, Threshold } from '../lib/results/thresholds';
import { checkThresholdPaths, EXIT, exitCodeOf, thresholdLines, thresholdsFor } from '../lib/results/verdict';
import { summarise } from '../lib/results/summarise';
import { rowOf } from '../lib/results/timeseries';
import type { Summary } from '../lib/results/summary';
import type { Dashboard } from './dashboard';
import { K6JsonOut } from './out-json';
import { Progress } from './progress';
import { rawOf, writeRaw } from './raw';
import { defaultResultsDir, environment, writeResults } from './results';
import { Run, RunConfig, RunResult } from './run';

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
      checkThresholdPaths(thresholds, options.metrics);
      if (o.jsonOut) jsonOut = new K6JsonOut(o.jsonOut, { scenario: options.scenario });
    },
    onSecond: (record, live) => {
      const row = rowOf(record);
      dashboard?.onSecond(row, live, record);
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
  const { summary: s, timeseries } = summarise(result.records, { ...result.meta, ...(breach ? { abortedByThreshold: breach } : {}) }, thresholds);
  const text = formatSummary(s, o.lang, (sum) => thresholdLines(sum, o.lang));
  o.out.write(`${text}\n`);
  const dir = o.outDir ?? defaultResultsDir();
  const report = renderReport({ summary: s, timeseries, uplot: uplotAssets() });
  writeResults(dir, { summary: s, text, timeseries, options: result.options, extra: { 'environment.json': environment(), 'report.html': report } });
  writeRaw(dir, rawOf(result, s, o.run.segment)); // runner merge, report and compare summarise it again
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
