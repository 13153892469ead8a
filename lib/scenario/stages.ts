import { arrivalLifetime, ArrivalSpec, arrivalTimes, PlannedArrivals, resolveArrivals } from './arrivals';
import { ConfigError } from './config-error';
import { Duration, parseDuration } from './duration';

/** One stage of a run: move the number of VUs linearly to `target` over `duration` (k6's ramping-vus stage). */
export interface Stage {
  /** How long the stage lasts, e.g. "30s". */
  duration: Duration;
  /** VUs (one connection each in the built-in scenarios) at the end of the stage; absent: keep the current number (`hold`). */
  target?: number;
  /** An open-model stage (`arrive()`, lib/scenario/arrivals.ts): new VUs at a rate, each for its lifetime; the ramped VUs hold. */
  arrive?: ArrivalSpec;
}

/** Internal form of a stage: milliseconds and explicit start level. */
export interface PlannedStage {
  startMs: number;
  durationMs: number;
  from: number;
  to: number;
  /** An arrive stage's arrivals (from = to: the ramped VUs hold meanwhile). */
  arrivals?: PlannedArrivals;
}

/** Ramp linearly to `target` VUs over `duration`: `ramp('30s', 10000)` starts 333.3 VUs a second. */
export function ramp(duration: Duration, target: number): Stage {
  return { duration, target };
}

/** Keep the current number of VUs for `duration`. */
export function hold(duration: Duration): Stage {
  return { duration };
}

/** Validates stages and resolves holds and durations into a timeline. */
export function planStages(stages: unknown): PlannedStage[] {
  if (!Array.isArray(stages) || stages.length === 0) {
    throw new ConfigError('options.stages must be a non-empty array, e.g. [ramp("30s", 1000), hold("30s")]');
  }
  const out: PlannedStage[] = [];
  let level = 0;
  let at = 0;
  stages.forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null) throw new ConfigError(`stages[${i}] must be ramp(duration, target), hold(duration) or arrive(duration, rate, { lifetime })`);
    const s = raw as Stage;
    const durationMs = parseDuration(s.duration, `stages[${i}].duration`);
    if (s.arrive !== undefined) {
      if (s.target !== undefined) throw new ConfigError(`stages[${i}] is an arrive stage: it takes no target (its VUs come and go)`);
      const arrivals = { ...resolveArrivals(s.arrive, durationMs, `stages[${i}].arrive`), firstVu: 0 };
      out.push({ startMs: at, durationMs, from: level, to: level, arrivals });
      at += durationMs;
      return;
    }
    const target = s.target === undefined ? level : s.target;
    if (!Number.isInteger(target) || target < 0) {
      throw new ConfigError(`stages[${i}].target must be a whole number of VUs >= 0 (got ${JSON.stringify(s.target)})`);
    }
    out.push({ startMs: at, durationMs, from: level, to: target });
    level = target;
    at += durationMs;
  });
  // arriving VUs are numbered after every ramped one, stage after stage
  let next = maxTarget(out);
  for (const st of out) {
    if (!st.arrivals) continue;
    st.arrivals.firstVu = next;
    next += st.arrivals.count;
  }
  return out;
}

export function totalDurationMs(stages: PlannedStage[]): number {
  const last = stages[stages.length - 1];
  return last ? last.startMs + last.durationMs : 0;
}

export function maxTarget(stages: PlannedStage[]): number {
  return stages.reduce((m, s) => Math.max(m, s.to), 0);
}

/** A planned VU event, in milliseconds from the start of the run. */
export interface VuEvent {
  atMs: number;
  vu: number;
  /** `depart`: an arriving VU's lifetime is over (it closes with 1000 and is gone). */
  kind: 'start' | 'stop' | 'depart';
  /** A start of an arrive stage's VU. */
  arrival?: true;
}

/**
 * Which VUs a process runs: VU `i` belongs to it when `i % count === index` after the
 * generator-level split (`segment`) and the worker-level split (`worker`). Striding keeps
 * every share of every stage fair and evenly spaced, and VU indices global (k6's execution segments).
 */
export interface Share {
  segment: { index: number; count: number };
  worker: { index: number; count: number };
}

export const WHOLE: Share = { segment: { index: 0, count: 1 }, worker: { index: 0, count: 1 } };

export function ownsVu(share: Share, vu: number): boolean {
  const s = share.segment;
  if (vu % s.count !== s.index) return false;
  const w = share.worker;
  return Math.floor(vu / s.count) % w.count === w.index;
}

/**
 * VU starts and stops of a share, in time order. A ramp from a to b (a < b) starts VU k
 * (a <= k < b) at stageStart + (k - a) * T / (b - a): evenly paced, first at once. A ramp down
 * stops the highest VUs first at the same pace. A zero-length stage jumps at once.
 */
export function planVuEvents(stages: PlannedStage[], share: Share = WHOLE): VuEvent[] {
  const events: VuEvent[] = [];
  for (const st of stages) {
    if (st.to > st.from) {
      const step = st.durationMs / (st.to - st.from);
      for (let k = st.from; k < st.to; k++) {
        if (ownsVu(share, k)) events.push({ atMs: st.startMs + (k - st.from) * step, vu: k, kind: 'start' });
      }
    } else if (st.to < st.from) {
      const step = st.durationMs / (st.from - st.to);
      for (let k = st.from - 1; k >= st.to; k--) {
        if (ownsVu(share, k)) events.push({ atMs: st.startMs + (st.from - 1 - k) * step, vu: k, kind: 'stop' });
      }
    }
    if (st.arrivals) arrivalEvents(st, st.arrivals, share, events);
  }
  // departures fall anywhere after their arrivals: one sort, stable for the events of one instant
  return stages.some((st) => st.arrivals) ? events.sort((a, b) => a.atMs - b.atMs) : events;
}

/** The starts and departures of the share's arrivals of one arrive stage. */
function arrivalEvents(st: PlannedStage, a: PlannedArrivals, share: Share, events: VuEvent[]): void {
  const times = arrivalTimes(a, st.durationMs);
  for (let k = 0; k < a.count; k++) {
    const vu = a.firstVu + k;
    if (!ownsVu(share, vu)) continue;
    const at = st.startMs + (times[k] as number);
    events.push({ atMs: at, vu, kind: 'start', arrival: true }, { atMs: at + arrivalLifetime(a, k), vu, kind: 'depart' });
  }
}

/** Arrivals the stages plan in all (every share's). */
export function plannedArrivals(stages: PlannedStage[]): number {
  return stages.reduce((n, s) => n + (s.arrivals?.count ?? 0), 0);
}
