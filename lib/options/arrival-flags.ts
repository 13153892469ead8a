import { arrive } from '../scenario/arrivals';
import { ConfigError } from '../scenario/config-error';
import { exponential, Lifetime, lognormal, uniform } from '../scenario/lifetime';
import { PlannedStage, Stage, totalDurationMs } from '../scenario/stages';

/** The overrides these read (lib/options/options.ts `Overrides`): ms for durations. */
export interface ArrivalFlags {
  arrivalRate?: number;
  lifetime?: number;
  lifetimeDist?: string;
  duration?: number;
  conns?: number;
  ramp?: number;
}

/** `--lifetime-dist` as a lifetime of mean `ms`: the seed tool's users name a mean and a shape. */
function lifetimeOf(dist: string | undefined, ms: number): Lifetime {
  switch (dist ?? 'fixed') {
    case 'exp':
      return exponential(`${ms}ms`);
    case 'uniform':
      return uniform('0ms', `${2 * ms}ms`);
    case 'lognormal':
      return lognormal({ mean: `${ms}ms`, sigma: 1 });
    default:
      return `${ms}ms`;
  }
}

/**
 * `--arrival-rate R --lifetime 60s [--lifetime-dist exp] [--duration 5m]`: the stages rewritten as
 * one arrive stage of --duration (default: the scenario's whole length), Poisson arrivals, seed 1
 * (docs/arrivals.md). Undefined when --arrival-rate is not given. Pure.
 */
export function arrivalStages(planned: PlannedStage[], o: ArrivalFlags): Stage[] | undefined {
  if (o.arrivalRate === undefined) {
    if (o.lifetime !== undefined || o.lifetimeDist !== undefined) throw new ConfigError('--lifetime and --lifetime-dist go with --arrival-rate (new connections a second)');
    return undefined;
  }
  if (o.conns !== undefined || o.ramp !== undefined) throw new ConfigError('--arrival-rate replaces --conns and --ramp: connections arrive at that rate for --duration');
  if (!(o.arrivalRate > 0)) throw new ConfigError(`--arrival-rate must be more than 0 new connections a second (got ${o.arrivalRate})`);
  if (o.lifetime === undefined) throw new ConfigError('--arrival-rate needs --lifetime: how long each connection lives, e.g. --lifetime 60s');
  const durationMs = o.duration ?? totalDurationMs(planned);
  if (!(durationMs > 0)) throw new ConfigError('--duration must be more than 0s');
  return [arrive(`${durationMs}ms`, o.arrivalRate, { lifetime: lifetimeOf(o.lifetimeDist, o.lifetime) })];
}
