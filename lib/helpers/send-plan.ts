import { parseDuration } from '../scenario/duration';
import { maxTarget, planStages, Stage, totalDurationMs } from '../scenario/stages';
import type { VuContext } from '../scenario/types';

/** The part of the run, in ms from its start, when the stages are at their peak number of VUs. */
export interface PeakWindow {
  /** When the level first reaches its peak (the end of the ramp). */
  fromMs: number;
  /** When it first leaves the peak again (a ramp-down starts), or the end of the run. */
  toMs: number;
  /** The peak number of VUs. */
  vus: number;
}

export function peakWindow(stages: Stage[]): PeakWindow {
  const planned = planStages(stages);
  const peak = maxTarget(planned);
  let fromMs: number | undefined;
  for (const s of planned) {
    if (fromMs === undefined) {
      if (s.to === peak) fromMs = s.startMs + s.durationMs;
    } else if (s.to < peak) {
      return { fromMs, toMs: s.startMs, vus: peak };
    }
  }
  const end = totalDurationMs(planned);
  return { fromMs: fromMs ?? end, toMs: end, vus: peak };
}

/**
 * The last stages list planned, and its plan: every VU of a run asks with the same list, once or
 * twice a VU. One entry, not a WeakMap: a k6 VU then never makes that global (sobek makes a
 * built-in, its prototype and methods, in every VU runtime that touches it: bench/README.md "Cost per VU on k6").
 */
let lastStages: Stage[] | undefined;
let lastPlanned: ReturnType<typeof planStages> = [];

/** `planStages(stages)`, planned once for the run's stages list. The plan is shared: read it only. */
export function plannedStages(stages: Stage[]): ReturnType<typeof planStages> {
  if (stages !== lastStages) {
    lastPlanned = planStages(stages);
    lastStages = stages;
  }
  return lastPlanned;
}

/** When VU `vu` first starts, in ms from the start of the run (the runner's even pacing), or undefined if never. */
export function firstStartMs(stages: Stage[], vu: number): number | undefined {
  for (const s of plannedStages(stages)) {
    if (s.to > s.from && vu >= s.from && vu < s.to) return s.startMs + ((vu - s.from) * s.durationMs) / (s.to - s.from);
  }
  return undefined;
}

/** When a VU sends, relative to the moment its VU function was called. */
export interface SendPlan {
  /** Delay before the first message, ms (>= 0). */
  startInMs: number;
  /** Time between messages, ms. */
  periodMs: number;
  /** Messages this VU sends: the same for every VU, known before the run. */
  count: number;
}

export interface SendPlanOptions {
  /** Messages per second per connection (> 0). */
  rate: number;
  /** Quiet time after the peak is reached, so that the last connections of the ramp are open. Default min(1s, peak/4). */
  warmupMs?: number;
  /** Quiet time before the peak ends, so that messages in flight arrive before the run drains and closes. Default min(2s, peak/4). */
  drainMs?: number;
}

/**
 * Paces a VU's messages inside the peak window: after `warmup`, `count = floor(window × rate)`
 * messages per VU, each VU offset by a fraction of a period (spread evenly by its index, so that
 * sends do not come in bursts), the last one at least `drain` before the peak ends.
 *
 * `who` is the VU's context or its index (`vu.id`). The VU reckons the run's clock from its own
 * planned start (`firstStartMs`): a VU started late by the runner sends late by as much, which
 * `drain` absorbs. A VU that is not running at the peak (started again after a ramp-down) gets
 * count 0.
 */
export function sendPlan(stages: Stage[], who: number | Pick<VuContext<object>, 'id'>, o: SendPlanOptions): SendPlan {
  const vu = typeof who === 'number' ? who : who?.id;
  if (!Number.isInteger(vu) || (vu as number) < 0) {
    const got = typeof who === 'object' && who !== null ? 'an object without a whole-number id' : JSON.stringify(who);
    throw new Error(`sendPlan takes the VU (vu) or its index (vu.id) (got ${got})`);
  }
  if (!(o.rate > 0) || !Number.isFinite(o.rate)) throw new Error(`message rate must be a number > 0 per second (got ${o.rate})`);
  const periodMs = 1000 / o.rate;
  const peak = peakWindow(stages);
  const peakMs = peak.toMs - peak.fromMs;
  const warmupMs = o.warmupMs ?? Math.min(1000, peakMs / 4);
  const drainMs = o.drainMs ?? Math.min(2000, peakMs / 4);
  const started = firstStartMs(stages, vu);
  const windowMs = peakMs - warmupMs - drainMs;
  if (started === undefined || started > peak.fromMs || windowMs <= 0) return { startInMs: 0, periodMs, count: 0 };
  // golden-ratio spread of the first send over one period: even for any number of VUs
  const phase = ((vu * 0.6180339887498949) % 1) * periodMs;
  return {
    startInMs: peak.fromMs + warmupMs + phase - started,
    periodMs,
    count: Math.floor((windowMs * o.rate) / 1000 + 1e-9),
  };
}

/** Reads a duration setting (a string like "2s", or ms as a number) of a scenario; undefined stays undefined. */
export function durationSetting(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? value : parseDuration(value, what);
}

/**
 * Calls `fn(0) … fn(count − 1)` every `periodMs`, the first after `startInMs`, on the VU's timers.
 * Each call is due at start + i × period: a late timer is caught up at once, so exactly `count`
 * calls happen (unless the VU ends first) and timer drift never accumulates. One interval timer.
 *
 * `fn` also gets the time call i was planned for (`vu.now()`'s clock: `pace`'s call + startInMs +
 * i × period), whenever it really runs: hand it to `Requests.send` (`{ plannedAt }`) and
 * `plannedWall(vu, plannedAt)` to `MessageMeter.delivered`, and latency is measured from the plan
 * as well as from the send (docs/messaging.md, "Latency from the plan").
 */
export function pace(vu: VuContext<object>, plan: SendPlan, fn: (i: number, plannedAt: number) => void): void {
  if (plan.count <= 0) return;
  let i = 0;
  // the plan's own origin: a first timer that fires late does not move the plan
  const t0 = vu.now() + Math.max(0, plan.startInMs);
  let interval: unknown;
  // a timer may fire a hair before its time on the monotonic clock: a small tolerance keeps it from skipping a beat
  const slack = Math.min(2, plan.periodMs / 10);
  const tick = (): void => {
    const due = Math.min(plan.count, Math.floor((vu.now() - t0 + slack) / plan.periodMs) + 1);
    while (i < due) {
      fn(i, t0 + i * plan.periodMs);
      i++;
    }
    if (i >= plan.count && interval !== undefined) vu.clearTimer(interval);
  };
  const first = (): void => {
    // a first timer that fired early (a coarse clock) waits out the rest, so the interval keeps the plan's beat
    const early = t0 - vu.now();
    if (early > slack) {
      vu.setTimeout(first, early);
      return;
    }
    tick();
    if (i < plan.count) interval = vu.setInterval(tick, plan.periodMs);
  };
  vu.setTimeout(first, Math.max(0, plan.startInMs));
}

/** A `plannedAt` of `pace` (the VU's monotonic clock) on the wall clock, as messages carry their send time (`vu.wallNow()`). */
export function plannedWall(vu: VuContext<object>, plannedAt: number): number {
  return vu.wallNow() - (vu.now() - plannedAt);
}
