import { M } from '../core/metric-names';
import type { MetricsSnapshot } from '../metrics/registry';
import { lifetimeQuantile, meanLifetime, meanSquareLifetime } from '../scenario/lifetime';
import { ownsVu, planStages, Stage, WHOLE } from '../scenario/stages';
import type { SecondRecord } from './record';
import { Stats, summaryStats } from './stats';

/**
 * The open model's figures (docs/arrivals.md): arrivals, departures, session lifetimes, and the
 * Little's-law check of each arrive stage: once its sessions reach their steady state, the
 * connections open follow level + rate × mean lifetime, within a tolerance stated in the plan.
 */

/** What the plan expects in one arrive stage's steady state (run seconds, this generator's share). */
export interface LittleWindow {
  stage: number;
  /** The seconds of the per-second record whose `open` (at the second's end) is judged, both included. */
  fromSec: number;
  toSec: number;
  expectedOpen: number;
  /** |measured − expected| within this: 1 + 3 standard deviations of a mean of the open count (docs/arrivals.md). */
  tolerance: number;
}

/** The arrivals a run plans (RunMeta.arrivals): its share's count and Little's-law windows. */
export interface ArrivalPlan {
  planned: number;
  /** Seconds the arrive stages last (0: unknown, a k6 run's samples). */
  arriveSec: number;
  /** Arrivals the engine dropped (k6's dropped_iterations, lib/results/k6-samples.ts); absent: none (the Node engine drops none). */
  dropped?: number;
  windows: LittleWindow[];
}

export interface LittleCheck extends LittleWindow {
  /** Mean open connections over the window's seconds; null (and ok null) when the run has none of them. */
  measuredOpen: number | null;
  /** Arrivals and departures a second over the window's seconds after its first (whose counts precede the steady state); null when none. */
  arrivalsPerSec: number | null;
  departuresPerSec: number | null;
  ok: boolean | null;
}

/** `summary.arrivals`: present when the stages hold an arrive stage. */
export interface ArrivalsSummary {
  planned: number;
  arrived: number;
  departed: number;
  /** Arrivals the engine could not start (k6's dropped_iterations: no free VU); the Node engine starts every one. */
  dropped: number;
  /** Arrived over the arrive stages' seconds; null when they last no time. */
  arrivalsPerSec: number | null;
  /** From each arriving VU's start to its departure; VUs still alive when the run ended are not in it. */
  lifetimeMs: Stats;
  little: LittleCheck[];
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** The arrival plan of `stages` for one segment of a run (all of it by default); undefined without arrive stages. Pure. */
export function arrivalPlan(stages: Stage[], segment = WHOLE.segment): ArrivalPlan | undefined {
  // results of other runs (a merge's, a k6 report's options) may hold no stages at all
  if (!Array.isArray(stages) || !stages.some((s) => typeof s === 'object' && s !== null && s.arrive !== undefined)) return undefined;
  const planned = planStages(stages);
  const share = { segment, worker: WHOLE.worker };
  let total = 0;
  const windows: LittleWindow[] = [];
  planned.forEach((st, i) => {
    const a = st.arrivals;
    if (!a) return;
    let owned = 0;
    for (let k = 0; k < a.count; k++) if (ownsVu(share, a.firstVu + k)) owned++;
    total += owned;
    let level = 0;
    for (let v = 0; v < st.from; v++) if (ownsVu(share, v)) level++;
    // sessions reach their steady state once nearly all that arrived at the start have left: the p99 lifetime (max of bounded ones)
    const warmupMs = a.lifetime.dist === 'uniform' ? a.lifetime.maxMs : lifetimeQuantile(a.lifetime, 0.99);
    const fromSec = Math.max(0, Math.ceil((st.startMs + warmupMs) / 1000) - 1);
    const toSec = Math.floor((st.startMs + st.durationMs) / 1000) - 1;
    if (toSec < fromSec) return;
    const perMs = (a.ratePerSec / 1000) * (a.count > 0 ? owned / a.count : 0);
    const windowMs = (toSec - fromSec + 1) * 1000;
    // M/G/∞: the open count is Poisson(λ·E[L]); its mean over a window W has variance about λ·E[L²]/W
    const variance = Math.min(perMs * meanLifetime(a.lifetime), (perMs * meanSquareLifetime(a.lifetime)) / windowMs);
    windows.push({
      stage: i, fromSec, toSec,
      expectedOpen: round2(level + perMs * meanLifetime(a.lifetime)),
      tolerance: round2(1 + 3 * Math.sqrt(variance)),
    });
  });
  return { planned: total, arriveSec: planned.reduce((n, s) => n + (s.arrivals ? s.durationMs / 1000 : 0), 0), windows };
}

function checkOf(w: LittleWindow, records: SecondRecord[]): LittleCheck {
  const inside = records.filter((r) => r.sec >= w.fromSec && r.sec <= w.toSec);
  if (inside.length === 0) return { ...w, measuredOpen: null, arrivalsPerSec: null, departuresPerSec: null, ok: null };
  // a second's counts cover the second before its `open` sample: the flows' steady state starts a second later
  const flows = inside.filter((r) => r.sec > w.fromSec);
  const per = (name: string): number | null => (flows.length === 0 ? null : round2(flows.reduce((n, r) => n + (r.interval.counters[name] ?? 0), 0) / flows.length));
  const measuredOpen = round2(inside.reduce((n, r) => n + r.open, 0) / inside.length);
  return {
    ...w, measuredOpen, arrivalsPerSec: per(M.vusArrived), departuresPerSec: per(M.vusDeparted),
    ok: Math.abs(measuredOpen - w.expectedOpen) <= w.tolerance,
  };
}

/** The summary's `arrivals` from the plan, the totals and the per-second records. Pure. */
export function arrivalsSummary(plan: ArrivalPlan, totals: MetricsSnapshot, records: SecondRecord[]): ArrivalsSummary {
  const arriveSec = plan.arriveSec;
  const arrived = totals.counters[M.vusArrived] ?? 0;
  return {
    planned: plan.planned,
    arrived,
    departed: totals.counters[M.vusDeparted] ?? 0,
    dropped: plan.dropped ?? 0,
    arrivalsPerSec: arriveSec > 0 ? round2(arrived / arriveSec) : null,
    lifetimeMs: summaryStats(totals, M.sessionLifetime),
    little: plan.windows.map((w) => checkOf(w, records)),
  };
}
