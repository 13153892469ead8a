import { ConfigError } from '../scenario/config-error';
import { parseDuration } from '../scenario/duration';
import type { ResolvedOptions, ResolvedStall, ScenarioOptions, SlowReaders } from '../scenario/types';

/**
 * `options.slowReaders` and `options.stall` (docs/slow-readers.md): checked into their resolved
 * form, the deterministic choice of the VUs they apply to, and the engines that cannot honour them.
 */

function shareOf(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 1) throw new ConfigError(`${what}.share must be a number more than 0 and at most 1 (got ${JSON.stringify(v)})`);
  return v;
}

function objectOf(v: unknown, what: string, keys: string[], example: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError(`${what} must be an object like ${example} (got ${JSON.stringify(v)})`);
  const extra = Object.keys(v).filter((k) => !keys.includes(k));
  if (extra.length > 0) throw new ConfigError(`${what} takes ${keys.join(', ')} (got ${extra.map((k) => JSON.stringify(k)).join(', ')})`);
  return v as Record<string, unknown>;
}

/** `options.slowReaders`, checked; undefined when not set. */
export function resolveSlowReaders(v: ScenarioOptions['slowReaders'] | undefined): SlowReaders | undefined {
  if (v === undefined) return undefined;
  const o = objectOf(v, 'options.slowReaders', ['share', 'bytesPerSec'], '{ share: 0.05, bytesPerSec: 1024 }');
  const rate = o.bytesPerSec;
  if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 1) {
    throw new ConfigError(`options.slowReaders.bytesPerSec must be a whole number >= 1 (got ${JSON.stringify(rate)})`);
  }
  return { share: shareOf(o.share, 'options.slowReaders'), bytesPerSec: rate };
}

/** `options.stall`, checked into ms; undefined when not set. */
export function resolveStall(v: ScenarioOptions['stall'] | undefined): ResolvedStall | undefined {
  if (v === undefined) return undefined;
  const o = objectOf(v, 'options.stall', ['share', 'after', 'for'], "{ share: 0.05, after: '5s', for: '10s' }");
  const share = shareOf(o.share, 'options.stall');
  const afterMs = parseDuration(o.after, 'options.stall.after');
  const forMs = parseDuration(o.for, 'options.stall.for');
  if (!(forMs > 0)) throw new ConfigError('options.stall.for must be more than 0s');
  return { share, afterMs, forMs };
}

/**
 * VU `id` is among the `share` chosen: the VUs where ⌊(id+1)·share⌋ steps up, spread evenly over
 * the indices, so that of the first n VUs exactly ⌊n·share⌋ are chosen, on every run.
 */
export function chosen(share: number, id: number): boolean {
  return Math.floor((id + 1) * share) > Math.floor(id * share);
}

/** How VU `id` reads: its rate limit and its stall, or undefined for a VU that reads as fast as it can. */
export interface ReadPlan {
  bytesPerSec?: number;
  stall?: { afterMs: number; forMs: number };
}

export function readPlanFor(o: Pick<ResolvedOptions, 'slowReaders' | 'stall'>, id: number): ReadPlan | undefined {
  const slow = o.slowReaders && chosen(o.slowReaders.share, id) ? o.slowReaders.bytesPerSec : undefined;
  const stall = o.stall && chosen(o.stall.share, id) ? { afterMs: o.stall.afterMs, forMs: o.stall.forMs } : undefined;
  if (slow === undefined && stall === undefined) return undefined;
  return { ...(slow !== undefined ? { bytesPerSec: slow } : {}), ...(stall ? { stall } : {}) };
}

/** The VU is a slow or stalled reader: its delivery latency is reported apart (lib/helpers/messages.ts). */
export const isSlowReader = (o: Pick<ResolvedOptions, 'slowReaders' | 'stall'>, id: number): boolean => readPlanFor(o, id) !== undefined;

/** What the Node runner refuses before the run (runner/setup.ts): permessage-deflate over the raw client. */
export function checkNodeFlow(o: Pick<ResolvedOptions, 'compression' | 'transport'>): void {
  if (o.compression && o.transport === 'raw') {
    throw new ConfigError('compression is not supported with transport raw (it offers no permessage-deflate): use --transport ws');
  }
}

/** What the k6 build refuses (build/k6.ts): a k6 script cannot throttle or pause its socket's reads. */
export function checkK6Flow(o: Pick<ResolvedOptions, 'slowReaders' | 'stall'>, file: string): void {
  const set = [o.slowReaders ? 'slowReaders' : '', o.stall ? 'stall' : ''].filter((k) => k !== '');
  if (set.length > 0) {
    throw new ConfigError(`cannot build ${file} for k6: options.${set.join(' and options.')} need read flow control, which k6/websockets does not give a script; run it with runner run`);
  }
}
