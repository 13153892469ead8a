import { bundleForNode, removeBundle, scenarioName } from '../build/scenario';
import { ConfigError } from '../lib/scenario/config-error';
import { checkModule, Overrides, resolveOptions } from '../lib/options/options';
import { checkNodeFlow } from '../lib/options/flow-options';
import { planStages } from '../lib/scenario/stages';
import { peakVus } from '../lib/scenario/arrivals-peak';
import type { ResolvedOptions } from '../lib/scenario/types';
import { isLoopbackTarget, sourceAddresses } from './addresses';
import { Embedded, startEmbedded } from './embedded';
import { workersFor } from './limits';
import { loadBundle } from './load-bundle';
import { concreteTransport } from '../lib/node/transport-choice';
import { ROOT } from '../build/paths';
import { planOf, preflight, refuseImpossible } from './preflight';

export interface SetupConfig {
  scenarioFile: string;
  overrides?: Overrides;
  /** Worker processes; default: as many as the open-files limit needs for the connections. */
  workers?: number;
  /** Generator-level share for distributed runs (`--segment i/n`, 0-based here). */
  segment?: { index: number; count: number };
  localAddress?: string;
  /** Processes of the embedded server; default from the open-files limit. */
  serverWorkers?: number;
  /** Run a plan the preflight finds this machine cannot hold anyway (`--force`). */
  force?: boolean;
  /** Preflight warnings and other notes before the run. */
  onNote?: (line: string) => void;
}

/** Everything a run needs before its workers start. */
export interface Setup {
  /** The scenario bundled for Node (CommonJS source the workers load). */
  bundle: string;
  options: ResolvedOptions;
  workerCount: number;
  /** The embedded server started for this run, when no target was given. */
  embedded?: Embedded;
}

/**
 * Bundles and checks the scenario, resolves its options under the CLI's overrides, and starts the
 * embedded server when neither the CLI nor the scenario names a target. The caller ends it with
 * tearDown; a setup that fails removes its bundle.
 */
export async function setUp(cfg: SetupConfig): Promise<Setup> {
  const bundle = await bundleForNode(cfg.scenarioFile, ROOT);
  try {
    return await prepare(cfg, bundle);
  } catch (err) {
    removeBundle(bundle);
    throw err;
  }
}

async function prepare(cfg: SetupConfig, bundle: string): Promise<Setup> {
  const file = cfg.scenarioFile;
  const mod = checkModule(loadBundle(bundle, file), file);
  const name = scenarioName(file);
  const ov = cfg.overrides ?? {};
  // resolved once without a target, so that bad options fail before a server starts
  // `transport: 'auto'` becomes the client that runs (lib/node/client-choice.ts): the summary names it
  const resolve = (target: string): ResolvedOptions => {
    const o = resolveOptions(name, mod.options, ov, target, file);
    return { ...o, transport: concreteTransport(o.transport, o.compression) };
  };
  const options = resolve('ws://127.0.0.1:1/ws');
  checkNodeFlow(options);
  const conns = peakVus(planStages(options.stages));
  const workerCount = cfg.workers ?? workersFor(Math.ceil(conns / (cfg.segment?.count ?? 1)));
  if (!Number.isInteger(workerCount) || workerCount < 1) throw new ConfigError(`--workers must be a whole number >= 1 (got ${cfg.workers})`);
  const wantsEmbedded = ov.target === undefined && !(typeof mod.options.target === 'string' && mod.options.target);
  refuseImpossible(planOf(options, conns, workerCount, wantsEmbedded, cfg), !!cfg.force, cfg.onNote); // before anything starts
  if (!wantsEmbedded) return { bundle, options, workerCount };
  const embedded = await startEmbedded(cfg.serverWorkers ?? workersFor(conns), conns, undefined, options.compression); // it takes deflate when the run offers it
  return { bundle, options: resolve(embedded.url), workerCount, embedded };
}

/**
 * Ends what setUp started, once no worker will load the bundle any more: removes the bundle's
 * temporary folder at once, then stops the embedded server. Calling it again is harmless.
 */
export function tearDown(s: Setup): Promise<void> {
  removeBundle(s.bundle);
  return s.embedded?.stop() ?? Promise.resolve();
}

/** This generator's connections, the source addresses they rotate over, and preflight warnings about the machine. */
export function connectionPlan(cfg: SetupConfig, s: Setup): { sources: string[]; warnings: string[] } {
  const stages = planStages(s.options.stages);
  const myConns = Math.ceil(peakVus(stages) / (cfg.segment?.count ?? 1));
  const sources = sourceAddresses(s.options.target, myConns, cfg.localAddress);
  const first = stages[0];
  const warnings = preflight({
    conns: myConns,
    workers: s.workerCount,
    sourceAddresses: sources.length,
    loopbackTarget: isLoopbackTarget(s.options.target),
    embedded: s.embedded !== undefined,
    rampPerSec: first && first.durationMs > 0 ? ((first.to - first.from) / first.durationMs) * 1000 : 0,
  });
  return { sources, warnings };
}
