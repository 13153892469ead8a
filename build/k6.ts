import esbuild from 'esbuild';
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { ConfigError } from '../lib/scenario/config-error';
import { kindsOf, MetricDecl } from '../lib/k6/names';
import type { BundleMeta } from '../lib/k6/meta';
import { K6_LEGACY_DEFINE } from '../lib/k6/legacy';
import { k6Options, Unmapped } from '../lib/k6/options';
import { k6ArrivalNotes } from '../lib/k6/arrivals';
import { resolveOptions } from '../lib/options/options';
import { checkK6Flow } from '../lib/options/flow-options';
import type { ScenarioOptions, VuFunction } from '../lib/scenario/types';
import { plannedArrivals, planStages } from '../lib/scenario/stages';
import { bundleMetrics, reachedModules } from './k6-metrics';
import { esbuildError, publicAliases, scenarioName } from './scenario';
import { LAZY_PREPARE, lazyModuleSource, lazyPlugin } from './k6-lazy';
import { lazyStubs } from './k6-lazy-stubs';
import { tablePlugin } from './k6-table';

export { scenarioName };

/**
 * The k6 target: one self-contained ES module per scenario that `k6 run` and `k6 cloud run`
 * accept. The scenario and lib/ are bundled with the k6 implementation of the VU context
 * (lib/k6/); `k6` and `k6/*` stay imports; Node built-ins and `ws` are refused at build time.
 */

export interface K6BuildOptions {
  /** wsbench's own folder (where lib/ lives). */
  root: string;
  outDir: string;
  /**
   * For k6 0.50 to 1.5: import k6/experimental/websockets (k6/websockets exists from k6 v1.6.0), keep k6/timers (from v0.50; k6/experimental/timers throws on import from
   * v0.54: docs/k6.md, "k6 behaviours encoded"), and tell the socket that close events carry
   * no code (they do from v1.5.0).
   */
  legacy?: boolean;
  /** Where relative scenario paths start, and what messages are relative to. Default: the process's cwd. */
  cwd?: string;
}

export interface K6BuildResult {
  file: string;
  name: string;
  outfile: string;
  bytes: number;
  /** Every import of the written bundle (all k6 modules). */
  imports: string[];
  /** Metrics the bundle declares in k6's init context: lib/k6's own, the reached helpers', the scenario's `options.metrics` (build/k6-metrics.ts). */
  metrics: MetricDecl[];
  /** Thresholds k6 cannot express, left out of the bundle's options. */
  unmapped: Unmapped[];
  /** What k6 runs otherwise than runner run (lib/k6/arrivals.ts: Poisson arrivals evenly spaced). */
  notes: string[];
}

/** The scenario files of a folder, sorted. */
export function listScenarios(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /\.[cm]?[jt]s$/.test(f) && !f.endsWith('.d.ts')).sort().map((f) => path.join(dir, f));
}

const K6_MODULE = /^k6(\/|$)/;
/** The one module a legacy build renames: k6 < 1.6 has the WebSocket API only as the experimental module. */
const LEGACY: Record<string, string> = { 'k6/websockets': 'k6/experimental/websockets' };
/**
 * Set to true in a legacy build (esbuild `define`): lib/k6/legacy.ts reads it, because k6 < 1.5 gives
 * close events no code (docs/k6.md, "k6 behaviours encoded").
 */
const LEGACY_DEFINE = K6_LEGACY_DEFINE;

/** Keeps k6 modules external and refuses what k6 cannot load, naming the file that imports it. */
function k6OnlyPlugin(root: string, legacy: boolean): esbuild.Plugin {
  return {
    name: 'wsbench-k6-only',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const p = args.path;
        if (K6_MODULE.test(p)) return { path: legacy ? LEGACY[p] ?? p : p, external: true };
        const from = args.importer ? path.relative(root, args.importer) || args.importer : 'the scenario';
        if (isBuiltin(p)) {
          return { errors: [{ text: `${from} imports the Node built-in "${p}": a k6 bundle may import only k6 and k6/* modules and pure code` }] };
        }
        if (p === 'ws' || p.startsWith('ws/')) {
          return { errors: [{ text: `${from} imports "ws", which runs only on Node: open sockets with vu.connect() instead` }] };
        }
        return undefined;
      });
    },
  };
}

function buildError(err: unknown, file: string): ConfigError {
  return new ConfigError(`cannot build ${file} for k6: ${esbuildError(err)}`);
}

const common = (root: string, legacy: boolean): esbuild.BuildOptions => ({
  bundle: true,
  format: 'esm',
  // k6's runtime (sobek, formerly goja) is ES2015+ with later additions; lowering to ES2015 syntax runs on every k6 release
  platform: 'neutral',
  target: 'es2015',
  mainFields: ['module', 'main'],
  define: { global: 'globalThis', ...(legacy ? { [LEGACY_DEFINE]: 'true' } : {}) },
  alias: publicAliases(root),
  plugins: [k6OnlyPlugin(root, legacy)],
  logLevel: 'silent',
  legalComments: 'none',
  // class fields as assignments in the constructor, not esbuild's lowered `__publicField` (a
  // defineProperty call per field and instance); a field without an initialiser then costs nothing
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
});

/** Every import of a JavaScript file (static, dynamic, require), read by esbuild's parser. */
export async function bundleImports(file: string): Promise<string[]> {
  const r = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'silent',
    plugins: [{ name: 'all-external', setup: (b) => b.onResolve({ filter: /.*/ }, (a) => (a.kind === 'entry-point' ? undefined : { path: a.path, external: true })) }],
  });
  const seen = new Set<string>();
  for (const input of Object.values(r.metafile.inputs)) for (const i of input.imports) seen.add(i.path);
  return [...seen].sort();
}

/**
 * Builds `<outDir>/<name>.js` from a scenario: refuses Node-only imports, loads it on Node (`load`,
 * which checks its options as `runner run` does), takes the metrics it declares, bundles it with
 * lib/k6/entry.ts behind k6's `options` and default function (source map inline), and checks that
 * the output imports nothing but k6 modules.
 */
export async function buildK6(file: string, load: () => Promise<{ options: ScenarioOptions; vu: VuFunction }>, o: K6BuildOptions): Promise<K6BuildResult> {
  const cwd = o.cwd ?? process.cwd();
  const abs = path.resolve(cwd, file);
  const name = scenarioName(abs);
  const legacy = !!o.legacy;
  // 1. the scenario alone: refuses Node-only imports early, and tells which helper modules it reaches
  let reached: Set<string>;
  try {
    reached = await reachedModules(abs, common(o.root, legacy));
  } catch (err) {
    throw buildError(err, file);
  }
  const mod = await load();
  const resolved = resolveOptions(name, { ...mod.options, target: undefined }, {}, '', file);
  checkK6Flow(resolved, file);
  const metrics = bundleMetrics(o.root, reached, resolved.metrics, plannedArrivals(planStages(resolved.stages)) > 0);
  const { unmapped } = k6Options(resolved, name, metrics);
  // 2. the bundle: k6's `options` and default function around the scenario
  const meta: BundleMeta = { name, file: path.relative(cwd, abs) || abs, metrics: kindsOf(metrics) };
  const entry = [
    // the two exports by name, not the module's namespace (an object of getters in every VU); the load checked both
    `import { options as scenarioOptions, default as scenarioVu } from ${JSON.stringify(abs)};`,
    'const scenario = { options: scenarioOptions, default: scenarioVu };',
    `import { k6Entry } from ${JSON.stringify(path.join(o.root, 'lib', 'k6', 'entry.ts'))};`,
    // lib/k6/prepare.ts (the option table and the validation it reaches) inside one function
    // (build/k6-lazy.ts): evaluated only when called, once per test (lib/k6/entry.ts sharedPrepared)
    `import { load as loadPrepare } from ${JSON.stringify(LAZY_PREPARE)};`,
    `const meta = ${JSON.stringify(meta)};`,
    'const entry = k6Entry(scenario, meta, () => loadPrepare().prepare(scenario, meta));',
    'export const options = entry.options;',
    'export default function () { entry.iteration(); }',
    'export function handleSummary(data) { return entry.summary(data); }',
  ].join('\n');
  fs.mkdirSync(o.outDir, { recursive: true });
  const outfile = path.join(o.outDir, `${name}.js`);
  const inject = [path.join(o.root, 'lib', 'k6', 'url.ts')];
  try {
    const base = common(o.root, legacy);
    const lazy = await lazyModuleSource(path.join(o.root, 'lib', 'k6', 'prepare.ts'), o.root, { ...base, inject });
    // the reconnect helper and the arrivals' planning as stubs, each module inside a function of its own (build/k6-lazy-stubs.ts)
    const stubs = await lazyStubs(o.root, { ...base, inject, plugins: [tablePlugin(o.root), ...(base.plugins ?? [])] });
    await esbuild.build({
      ...base,
      plugins: [lazyPlugin({ [LAZY_PREPARE]: lazy, ...stubs.sources }), stubs.plugin, tablePlugin(o.root), ...(base.plugins ?? [])],
      stdin: { contents: entry, resolveDir: path.dirname(abs), sourcefile: `${name}.k6-entry.js`, loader: 'js' },
      outfile,
      sourcemap: 'inline',
      inject,
      banner: { js: `// wsbench scenario ${meta.file} for k6: k6 run ${path.relative(cwd, outfile) || outfile} -e TARGET=ws://host:port/ws` },
    });
  } catch (err) {
    throw buildError(err, file);
  }
  const imports = await bundleImports(outfile);
  const foreign = imports.filter((i) => !K6_MODULE.test(i));
  if (foreign.length > 0) {
    fs.rmSync(outfile, { force: true });
    throw new ConfigError(`cannot build ${file} for k6: the bundle would import ${foreign.join(', ')} (k6 offers only k6 and k6/* modules)`);
  }
  return { file, name, outfile, bytes: fs.statSync(outfile).size, imports, metrics, unmapped, notes: k6ArrivalNotes(resolved) };
}
