import { emptySnapshot } from '../metrics/registry';
import { LABELS, Lang } from './report/text';
import { buildSummary, Summary } from './summary';
import { checkMetricThresholds, Declared } from './custom-metrics';
import { checkPaths, DEFAULT_THRESHOLDS, evaluate, parseThreshold, shownResult, Threshold } from './thresholds';

/**
 * The verdict of a run: the thresholds in force, their evaluation into the summary, their lines in
 * the text summary, and the exit code. Pure: runner run and runner merge judge through it alike.
 */

/** The exit codes (docs/architecture.md, "Exit codes"): the one table runner/cli.ts exits with. */
export const EXIT = { ok: 0, badInput: 1, thresholds: 99, interrupted: 130 } as const;

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
    const shown = shownResult(r);
    out.push(`${shown.mark} ${expr}   (${shown.text}${crossed})`);
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

/**
 * Paths outside `messages.` (open-ended) must name a summary field before the run starts: `metrics.<name>`
 * a metric of `declared` (the scenario's `options.metrics`), each there from the start; with `declared`
 * unknown, `metrics.` paths are left to the final evaluation.
 */
export function checkThresholdPaths(thresholds: Threshold[], declared?: Declared): void {
  if (declared) checkMetricThresholds(thresholds, declared);
  const fixed = thresholds.filter((t) => t.path[0] !== 'messages' && (declared !== undefined || t.path[0] !== 'metrics'));
  const probe = buildSummary({
    scenario: '', target: '', mode: '', startedAt: new Date(0), durationSec: 0, interrupted: false,
    totals: emptySnapshot(), peak: 0, final: 0, workers: [], warnings: [], declared,
  });
  checkPaths(probe, fixed);
}

