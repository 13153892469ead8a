import type esbuild from 'esbuild';
import path from 'node:path';
import * as reconnect from '../lib/helpers/reconnect';
import * as runPlan from '../lib/k6/run-plan';
import * as summary from '../lib/k6/summary';
import * as arrivals from '../lib/scenario/arrivals';
import * as configError from '../lib/scenario/config-error';
import { LAZY_PREFIX, lazyModuleSource } from './k6-lazy';

/**
 * Modules a k6 VU evaluates only when it first calls into them (build/k6-lazy.ts): code a VU
 * reaches but most never run. The reconnect helper is reached through `keepAlive` (a connect-only
 * VU without `reconnect` never opens a ReconnectingSocket); the arrive stages' planning through
 * `planStages` (a VU of ramped stages never resolves an arrival); the reading of k6's scenario
 * (lib/k6/run-plan.ts) runs only under k6's overrides (lib/k6/entry.ts planOfRun); the warnings of
 * lib/k6/summary.ts only in handleSummary; ConfigError only when a check fails (and its class,
 * `extends Error`, would make sobek's Error in every VU). In the bundle each module is a stub (one small forwarder
 * a used export), and all of them are bundled apart, inside one function evaluated at the first
 * call into any. Each holds no state of its own (a constant at most): its lazy copy and the rest of
 * the bundle share none. Their exports as the build loads them tell functions, classes and data apart.
 */
const LAZY_MODULES: Record<string, Record<string, unknown>> = {
  'lib/helpers/reconnect.ts': reconnect,
  'lib/scenario/arrivals.ts': arrivals,
  'lib/k6/run-plan.ts': runPlan,
  'lib/k6/summary.ts': summary,
  'lib/scenario/config-error.ts': configError,
};

/** The import name of the virtual module that holds them. */
const LAZY_RARE = `${LAZY_PREFIX}-rare`;

const isClass = (v: unknown): boolean => typeof v === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(v));

/**
 * The stub of a lazy module: `load()` (of the virtual module `virtual`) at the first call. A class
 * export is a function whose instances are the lazy class's, made with `new.target`, and whose
 * prototype chains to the lazy class's, so that `instanceof` and `extends` hold; data is a copy
 * written here as JSON.
 */
export function stubSource(virtual: string, exports: Record<string, unknown>, file: string): string {
  const lines = [`import { load } from ${JSON.stringify(virtual)};`];
  for (const [name, value] of Object.entries(exports)) {
    if (isClass(value)) {
      lines.push(
        `export function ${name}(...args) {`,
        `  const C = load().${name};`,
        `  if (Object.getPrototypeOf(${name}.prototype) !== C.prototype) { Object.setPrototypeOf(${name}.prototype, C.prototype); Object.setPrototypeOf(${name}, C); }`,
        `  return Reflect.construct(C, args, new.target);`,
        '}',
      );
    } else if (typeof value === 'function') {
      lines.push(`export function ${name}(...args) { return load().${name}(...args); }`);
    } else {
      const json = JSON.stringify(value);
      if (json === undefined || JSON.stringify(JSON.parse(json)) !== json) throw new Error(`build/k6-lazy-stubs.ts: ${file} exports ${name}, which is not JSON data: the k6 build cannot copy it`);
      lines.push(`export const ${name} = ${json};`);
    }
  }
  return lines.join('\n');
}

/**
 * The lazy modules of a k6 bundle: the virtual module's source (for `lazyPlugin`) and the plugin
 * that loads each module's stub in its place. `root` is wsbench's own folder, `base` the k6 build's
 * esbuild options (without this plugin: the lazy copies are the modules themselves).
 */
export async function lazyStubs(root: string, base: esbuild.BuildOptions): Promise<{ sources: Record<string, string>; plugin: esbuild.Plugin }> {
  const stubs = new Map<string, string>();
  const seen = new Map<string, string>();
  for (const [rel, exports] of Object.entries(LAZY_MODULES)) {
    for (const name of Object.keys(exports)) {
      // one namespace for all of them: a name two modules export would be neither's
      if (seen.has(name)) throw new Error(`build/k6-lazy-stubs.ts: ${rel} and ${seen.get(name)} both export ${name}`);
      seen.set(name, rel);
    }
    stubs.set(path.join(root, rel), stubSource(LAZY_RARE, exports, rel));
  }
  const files = Object.keys(LAZY_MODULES).map((rel) => path.join(root, rel));
  const sources = { [LAZY_RARE]: await lazyModuleSource(files, root, base) };
  const plugin: esbuild.Plugin = {
    name: 'wsbench-k6-lazy-stubs',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const stub = stubs.get(args.path);
        return stub === undefined ? undefined : { contents: stub, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
  return { sources, plugin };
}
