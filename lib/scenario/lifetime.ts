import { ConfigError } from './config-error';
import { Duration, parseDuration } from './duration';
import { normalQuantile, uniformAt } from './lifetime-random';

/**
 * How long an arriving VU lives (docs/arrivals.md): data, so that it crosses to workers and into a
 * k6 bundle as it is. A bare duration is a fixed lifetime.
 */
export type Lifetime =
  | Duration
  | { dist: 'fixed'; value: Duration }
  | { dist: 'uniform'; min: Duration; max: Duration }
  | { dist: 'exponential'; mean: Duration }
  | { dist: 'lognormal'; median?: Duration; mean?: Duration; sigma: number };

/** A lifetime in milliseconds: lognormal as the mean and sigma of its logarithm. */
export type ResolvedLifetime =
  | { dist: 'fixed'; ms: number }
  | { dist: 'uniform'; minMs: number; maxMs: number }
  | { dist: 'exponential'; meanMs: number }
  | { dist: 'lognormal'; mu: number; sigma: number };

export const fixed = (value: Duration): Lifetime => ({ dist: 'fixed', value });
export const uniform = (min: Duration, max: Duration): Lifetime => ({ dist: 'uniform', min, max });
export const exponential = (mean: Duration): Lifetime => ({ dist: 'exponential', mean });
/** `lognormal({ median: '60s', sigma: 0.5 })`, or `{ mean, sigma }`; sigma is that of the logarithm. */
export const lognormal = (o: { median?: Duration; mean?: Duration; sigma: number }): Lifetime => ({ dist: 'lognormal', ...o });

const positive = (v: unknown, what: string): number => {
  const ms = parseDuration(v, what);
  if (ms <= 0) throw new ConfigError(`${what} must be more than 0s (got ${JSON.stringify(v)})`);
  return ms;
};

/** Checks a lifetime and resolves it to milliseconds; `what` names it in the errors. */
export function resolveLifetime(l: unknown, what: string): ResolvedLifetime {
  if (typeof l === 'string' || typeof l === 'number') return { dist: 'fixed', ms: positive(l, what) };
  const o = (typeof l === 'object' && l !== null ? l : {}) as Record<string, unknown>;
  switch (o.dist) {
    case 'fixed':
      return { dist: 'fixed', ms: positive(o.value, `${what}.value`) };
    case 'uniform': {
      const minMs = parseDuration(o.min, `${what}.min`);
      const maxMs = positive(o.max, `${what}.max`);
      if (maxMs < minMs) throw new ConfigError(`${what}: uniform max (${maxMs} ms) must be at least min (${minMs} ms)`);
      return { dist: 'uniform', minMs, maxMs };
    }
    case 'exponential':
      return { dist: 'exponential', meanMs: positive(o.mean, `${what}.mean`) };
    case 'lognormal': {
      const sigma = o.sigma;
      if (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma <= 0 || sigma > 5) {
        throw new ConfigError(`${what}.sigma must be a number more than 0 and at most 5 (got ${JSON.stringify(sigma)})`);
      }
      if ((o.median === undefined) === (o.mean === undefined)) throw new ConfigError(`${what}: a lognormal lifetime takes its median or its mean (one of them)`);
      const mu = o.median !== undefined ? Math.log(positive(o.median, `${what}.median`)) : Math.log(positive(o.mean, `${what}.mean`)) - (sigma * sigma) / 2;
      return { dist: 'lognormal', mu, sigma };
    }
  }
  throw new ConfigError(`${what} must be a duration ("60s") or fixed(d), uniform(min, max), exponential(mean), lognormal({ median, sigma }) (got ${JSON.stringify(l)})`);
}

/** The lifetime at probability `p` (0 < p < 1): the inverse of its distribution function. Pure. */
export function lifetimeQuantile(l: ResolvedLifetime, p: number): number {
  switch (l.dist) {
    case 'fixed':
      return l.ms;
    case 'uniform':
      return l.minMs + p * (l.maxMs - l.minMs);
    case 'exponential':
      return -l.meanMs * Math.log(1 - p);
    case 'lognormal':
      return Math.exp(l.mu + l.sigma * normalQuantile(p));
  }
}

/** Mean lifetime, ms. */
export function meanLifetime(l: ResolvedLifetime): number {
  switch (l.dist) {
    case 'fixed':
      return l.ms;
    case 'uniform':
      return (l.minMs + l.maxMs) / 2;
    case 'exponential':
      return l.meanMs;
    case 'lognormal':
      return Math.exp(l.mu + (l.sigma * l.sigma) / 2);
  }
}

/** Mean of the squared lifetime, ms² (the Little's-law tolerance of lib/scenario/arrivals-little.ts uses it). */
export function meanSquareLifetime(l: ResolvedLifetime): number {
  switch (l.dist) {
    case 'fixed':
      return l.ms * l.ms;
    case 'uniform':
      return (l.minMs * l.minMs + l.minMs * l.maxMs + l.maxMs * l.maxMs) / 3;
    case 'exponential':
      return 2 * l.meanMs * l.meanMs;
    case 'lognormal':
      return Math.exp(2 * l.mu + 2 * l.sigma * l.sigma);
  }
}

/** Salt of the lifetime stream (the arrival times of lib/scenario/arrivals.ts use another). */
const LIFETIME_STREAM = 0x6c696665;

/**
 * The lifetime of arrival `k` of a stage seeded `seed`: a pure function of (seed, k), so that every
 * worker, every segment and the k6 bundle draw the same one without sharing a generator. Whole ms.
 */
export function lifetimeOf(l: ResolvedLifetime, seed: number, k: number): number {
  const u = uniformAt(seed ^ LIFETIME_STREAM, k);
  return Math.max(1, Math.round(lifetimeQuantile(l, u)));
}
