import esbuild from 'esbuild';

/**
 * Code a k6 bundle evaluates in one init context only (lib/k6/prepare.ts: the option table and the
 * validation it reaches), kept out of the module's top level. k6 evaluates the whole module in every
 * VU's JavaScript runtime, and every top-level function declaration of it is a function object of
 * every VU for the VU's whole life (bench/README.md "Cost per VU on k6"), even an esbuild `__esm`
 * module that is never initialised. So the lazy module is bundled on its own (an IIFE: its own
 * copies of the modules it shares with the rest, every declaration in the IIFE's scope) and put
 * inside one function of a virtual module: its functions exist only while that function runs.
 */

/** How the import names of the virtual modules that hold lazy code begin (resolved by `lazyPlugin`). */
export const LAZY_PREFIX = 'wsbench-k6-lazy';
/** The import name of the virtual module that holds the option code. */
export const LAZY_PREPARE = `${LAZY_PREFIX}-prepare`;

const GLOBAL_NAME = '__wsbenchLazy';

/**
 * Bundles the exports of `files` (one file, or modules whose export names differ) into the source
 * of a module that exports `load()`: a function that evaluates them (inside its own scope) at its
 * first call and returns them, the same object at every call. `root` is wsbench's own folder,
 * `base` the k6 build's esbuild options.
 */
export async function lazyModuleSource(files: string | string[], root: string, base: esbuild.BuildOptions): Promise<string> {
  const contents = (typeof files === 'string' ? [files] : files).map((f) => `export * from ${JSON.stringify(f)};`).join('\n');
  const r = await esbuild.build({
    ...base,
    stdin: { contents, resolveDir: '/', loader: 'js', sourcefile: 'lazy.js' },
    format: 'iife',
    globalName: GLOBAL_NAME,
    write: false,
    // its own map, which the bundle's build chains into the bundle's (a stack of the option code then
    // names lib/ files); its sources relative to wsbench's root, which the map names
    sourcemap: 'inline',
    absWorkingDir: root,
    sourceRoot: root.endsWith('/') ? root : `${root}/`,
  });
  const code = (r.outputFiles[0] as esbuild.OutputFile).text;
  const at = code.lastIndexOf('\n//# sourceMappingURL=');
  // on the code's first line, so that the map's lines still match; the map's comment last
  return `export function load() { if (loaded !== undefined) return loaded; ${code.slice(0, at)}\nreturn (loaded = ${GLOBAL_NAME});\n}\nvar loaded;${code.slice(at)}`;
}

/** Resolves each import name of `sources` (`LAZY_PREPARE`, build/k6-lazy-stubs.ts's) to the module `lazyModuleSource` made. */
export function lazyPlugin(sources: Record<string, string>): esbuild.Plugin {
  return {
    name: 'wsbench-k6-lazy',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${LAZY_PREFIX}`) }, (args) => (args.path in sources ? { path: args.path, namespace: 'wsbench-lazy' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'wsbench-lazy' }, (args) => ({ contents: sources[args.path] as string, loader: 'js' }));
    },
  };
}
