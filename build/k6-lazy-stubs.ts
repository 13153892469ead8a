import type esbuild from 'esbuild';
import path from 'node:path';
import * as reconnect from '../lib/helpers/reconnect';
import * as arrivals from '../lib/scenario/arrivals';
import { LAZY_PREFIX, lazyModuleSource } from './k6-lazy';

/**
 * Modules a k6 VU evaluates only when it first calls into them (build/k6-lazy.ts): code a VU
 * reaches but most never run. The reconnect helper is reached through `keepAlive` (a connect-only
 * VU without `reconnect` never opens a ReconnectingSocket); the arrive stages' planning through
 * `planStages` (a VU of ramped stages never resolves an arrival). In the bundle each is a stub: one
 * small forwarder a used export, the module itself bundled apart inside one function. Each holds no
 * state of its own (a constant at most): its lazy copy and the rest of the bundle share none.
 * Their exports as the build loads them tell functions, classes and data apart.
 */
const LAZY_MODULES: Record<string, Record<string, unknown>> = {
  'lib/helpers/reconnect.ts': reconnect,
  'lib/scenario/arrivals.ts': arrivals,
};

const isClass = (v: unknown): boolean => typeof v === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(v));

/**
 * The stub of a lazy module: `load()` (of the virtual module `virtual`) at the first call. A class
 * export is a function whose instances are the lazy class's, made with `new.target`, and whose
 * prototype chains to the lazy class's, so that `instanceof` and `extends` hold; data is a copy
 * written here as JSON.
 */
export function stubSource(virtual: string, exports: Record<string, unknown>, file: string): string {
  const lines = [`import { load } from ${JSON.stringify(virtual)};`, 'let mod;', 'function lazy() { return mod === undefined ? (mod = load()) : mod; }'];
  for (const [name, value] of Object.entries(exports)) {
    if (isClass(value)) {
      lines.push(
        `export function ${name}(...args) {`,
        `  const C = lazy().${name};`,
        `  if (Object.getPrototypeOf(${name}.prototype) !== C.prototype) { Object.setPrototypeOf(${name}.prototype, C.prototype); Object.setPrototypeOf(${name}, C); }`,
        `  return Reflect.construct(C, args, new.target);`,
        '}',
      );
    } else if (typeof value === 'function') {
      lines.push(`export function ${name}(...args) { return lazy().${name}(...args); }`);
    } else {
      const json = JSON.stringify(value);
      if (json === undefined || JSON.stringify(JSON.parse(json)) !== json) throw new Error(`build/k6-lazy-stubs.ts: ${file} exports ${name}, which is not JSON data: the k6 build cannot copy it`);
      lines.push(`export const ${name} = ${json};`);
    }
  }
  return lines.join('\n');
}

/**
 * The lazy modules of a k6 bundle: the virtual modules' sources (for `lazyPlugin`) and the plugin
 * that loads each module's stub in its place. `root` is wsbench's own folder, `base` the k6 build's
 * esbuild options (without this plugin: the lazy copies are the modules themselves).
 */
export async function lazyStubs(root: string, base: esbuild.BuildOptions): Promise<{ sources: Record<string, string>; plugin: esbuild.Plugin }> {
  const sources: Record<string, string> = {};
  const stubs = new Map<string, string>();
  for (const [rel, exports] of Object.entries(LAZY_MODULES)) {
    const abs = path.join(root, rel);
    const virtual = `${LAZY_PREFIX}:${rel}`;
    sources[virtual] = await lazyModuleSource(abs, root, base);
    stubs.set(abs, stubSource(virtual, exports, rel));
  }
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
