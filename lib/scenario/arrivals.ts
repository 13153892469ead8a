import { ConfigError } from './config-error';
import type { Duration } from './duration';
import { Lifetime, lifetimeOf, ResolvedLifetime, resolveLifetime } from './lifetime';
import { uniformAt } from './lifetime-random';

/**
 * The open model (docs/arrivals.md): new VUs arrive at a rate whatever the open ones do, each lives
 * its drawn lifetime, then closes with 1000 and is gone.
 */

/** How arrivals are spaced within a stage: a Poisson process, or one every 1/rate seconds. */
export type Spacing = 'poisson' | 'even';

/** What `arrive()` takes besides the duration and the rate. */
export interface ArriveOptions {
  /** How long each arriving VU lives: a duration, or fixed/uniform/exponential/lognormal. */
  lifetime: Lifetime;
  /** Default "poisson". */
  spacing?: Spacing;
  /** Seed of the stage's arrival times and lifetimes (a whole number): the same seed, the same run. Default 1. */
  seed?: number;
}

/** The `arrive` part of a stage as a scenario writes it. */
export interface ArrivalSpec extends ArriveOptions {
  /** New VUs a second. */
  rate: number;
}

/** An arrive stage, resolved: its count of arrivals is known from the plan, and its VUs' global indices. */
export interface PlannedArrivals {
  ratePerSec: number;
  lifetime: ResolvedLifetime;
  spacing: Spacing;
  seed: number;
  /** Arrivals in the stage: ceil(rate × duration) (k6's constant-arrival-rate starts as many). */
  count: number;
  /** Global VU index of the stage's first arrival; arrival k is VU firstVu + k. */
  firstVu: number;
}

/** Checks an `arrive` spec; `what` names it (`stages[2].arrive`). Its VU indices are set by the stage planner. */
export function resolveArrivals(spec: unknown, durationMs: number, what: string): Omit<PlannedArrivals, 'firstVu'> {
  if (typeof spec !== 'object' || spec === null) throw new ConfigError(`${what} must be { rate, lifetime }: use arrive(duration, ratePerSec, { lifetime })`);
  const s = spec as Partial<ArrivalSpec>;
  const rate = s.rate;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > 1_000_000) {
    throw new ConfigError(`${what}.rate must be a number of new VUs a second, more than 0 (got ${JSON.stringify(rate)})`);
  }
  const spacing = s.spacing ?? 'poisson';
  if (spacing !== 'poisson' && spacing !== 'even') throw new ConfigError(`${what}.spacing must be "poisson" or "even" (got ${JSON.stringify(spacing)})`);
  const seed = s.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new ConfigError(`${what}.seed must be a whole number from 0 to 4294967295 (got ${JSON.stringify(seed)})`);
  if (s.lifetime === undefined) throw new ConfigError(`${what}.lifetime is missing: arrive('30s', 10, { lifetime: '60s' })`);
  const lifetime = resolveLifetime(s.lifetime, `${what}.lifetime`);
  if (durationMs <= 0) throw new ConfigError(`${what}: an arrive stage needs a duration more than 0s`);
  // a rate × duration a whole number (20/s for 10 s) is exact despite floating point (1e-9)
  const count = Math.ceil((rate * durationMs) / 1000 - 1e-9);
  return { ratePerSec: rate, lifetime, spacing, seed, count };
}

/** Salt of the arrival-time stream (lifetimes draw from another of the same seed). */
const ARRIVAL_STREAM = 0x61727276;

/**
 * When each arrival of a stage comes, ms from the stage's start, in order. `even`: arrival k at
 * k/rate. `poisson`: a Poisson process given its count (the count is fixed by the plan, so that a
 * run's arrivals are known exactly): the n arrival times are the order statistics of n uniform
 * points, drawn as normalised sums of n + 1 exponential gaps. Pure; the same on every process.
 */
export function arrivalTimes(a: Omit<PlannedArrivals, 'firstVu'>, durationMs: number): Float64Array {
  const out = new Float64Array(a.count);
  if (a.spacing === 'even') {
    const step = 1000 / a.ratePerSec;
    for (let k = 0; k < a.count; k++) out[k] = k * step;
    return out;
  }
  let sum = 0;
  for (let k = 0; k < a.count; k++) {
    sum += -Math.log(uniformAt(a.seed ^ ARRIVAL_STREAM, k));
    out[k] = sum;
  }
  sum += -Math.log(uniformAt(a.seed ^ ARRIVAL_STREAM, a.count));
  for (let k = 0; k < a.count; k++) out[k] = (out[k] as number) * (durationMs / sum);
  return out;
}

/** Lifetime of arrival `k` of a planned stage, ms (lib/scenario/lifetime.ts `lifetimeOf`). */
export function arrivalLifetime(a: PlannedArrivals, k: number): number {
  return lifetimeOf(a.lifetime, a.seed, k);
}

/** `arrive('30s', 50, { lifetime: exponential('60s') })`: 50 new VUs a second for 30 s, each living its drawn lifetime. */
export function arrive(duration: Duration, ratePerSec: number, o: ArriveOptions): { duration: Duration; arrive: ArrivalSpec } {
  return { duration, arrive: { rate: ratePerSec, ...o } };
}
