import esbuild from 'esbuild';
import path from 'node:path';
import { helperMetrics, k6Own, MetricDecl } from '../lib/k6/names';
import type { ResolvedOptions } from '../lib/scenario/types';

/**
 * Which metrics a k6 bundle declares. k6 creates custom metrics only in the init context, so the
 * build must know them all beforehand, and takes them from declarations, never from a guess:
 * - what lib/k6 and the core record in every bundle (`k6Own`, lib/core/metric-names.ts);
 * - what a helper module records (`MessageMeter`'s im_* and ws_msg_latency, the reconnect recovery),
 *   when the scenario's code reaches that module: esbuild's own account of the tree-shaken scenario
 *   (metafile: the module put code in the output), so a connect-only bundle declares no im_*;
 * - the arrive stages' (vus_arrived, vus_departed, session_lifetime), when its stages hold one (docs/arrivals.md);
 * - the scenario's `options.metrics` (with what `requestMetrics()` declares for a `Requests`),
 *   checked against k6's rules when the options were resolved (lib/options/metrics-option.ts).
 * A metric the scenario records without declaring it is refused by the k6 engine at its first use
 * (lib/k6/metrics.ts), with the line that says where to declare it.
 */

/** The helper modules of lib/core/metric-names.ts `RecordedBy`, as paths under wsbench's root. */
const HELPER_MODULES = { messages: 'lib/helpers/messages.ts', reconnect: 'lib/helpers/reconnect.ts' } as const;

/**
 * The scenario bundled alone with tree shaking (also what refuses Node-only imports early): the
 * absolute paths of the modules that put code into it.
 */
export async function reachedModules(abs: string, base: esbuild.BuildOptions): Promise<Set<string>> {
  const cwd = process.cwd();
  const r = await esbuild.build({ ...base, absWorkingDir: cwd, entryPoints: [abs], write: false, outfile: 'reachable.js', treeShaking: true, minify: false, sourcemap: false, metafile: true });
  const reached = new Set<string>();
  for (const out of Object.values(r.metafile.outputs)) {
    for (const [file, input] of Object.entries(out.inputs)) if (input.bytesInOutput > 0) reached.add(path.resolve(cwd, file));
  }
  return reached;
}

/** The metrics a bundle declares, in that order: lib/k6's own, the reached helpers', the arrive stages' (when it has one), the scenario's. */
export function bundleMetrics(root: string, reached: Set<string>, declared: ResolvedOptions['metrics'], arriving = false): MetricDecl[] {
  const helpers = (Object.keys(HELPER_MODULES) as Array<keyof typeof HELPER_MODULES>)
    .filter((by) => reached.has(path.join(root, HELPER_MODULES[by])))
    .flatMap((by) => helperMetrics(by));
  // options.metrics holds no name of the two lists before it (lib/options/metrics-option.ts), so none is declared twice
  return [...k6Own(), ...helpers, ...(arriving ? helperMetrics('arrivals') : []), ...Object.entries(declared).map(([name, kind]) => ({ name, kind }))];
}
