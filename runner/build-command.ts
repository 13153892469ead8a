import fs from 'node:fs';
import path from 'node:path';
import { buildK6, K6BuildResult, listScenarios, scenarioName } from '../build/k6';
import { bundleForNode, removeBundle } from '../build/scenario';
import { ConfigError } from '../lib/scenario/config-error';
import { checkModule } from '../lib/options/options';
import { loadBundle } from './load-bundle';
import { ROOT } from '../build/paths';

export const BUILD_TARGETS = ['k6', 'node'] as const;
export type BuildTarget = (typeof BUILD_TARGETS)[number];

export interface BuildArgs {
  scenarios: string[];
  target: string;
  outDir?: string;
  /** For k6 0.50 to 1.5 (before k6/websockets, v1.6.0): import k6/experimental/websockets instead (build/k6.ts). */
  k6Legacy?: boolean;
  cwd: string;
}

function checkTarget(t: string): BuildTarget {
  if (!(BUILD_TARGETS as readonly string[]).includes(t)) {
    throw new ConfigError(`--target must be ${BUILD_TARGETS.join(' or ')} for build (got ${JSON.stringify(t)})`);
  }
  return t as BuildTarget;
}

/** The files to build: the ones named, else every scenario in ./scenarios. */
function scenarioFiles(a: BuildArgs): string[] {
  if (a.scenarios.length > 0) {
    for (const f of a.scenarios) {
      const abs = path.resolve(a.cwd, f);
      if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) throw new ConfigError(`scenario file not found: ${f} (give a path like scenarios/connect-only.ts)`);
    }
    return a.scenarios;
  }
  const dir = path.join(a.cwd, 'scenarios');
  const found = listScenarios(dir).map((f) => path.relative(a.cwd, f));
  if (found.length === 0) throw new ConfigError(`no scenarios to build: ${dir} holds no .ts files (name them: runner build scenarios/10k.ts)`);
  return found;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function k6Report(r: K6BuildResult, cwd: string): string[] {
  const lines = [`${path.relative(cwd, r.outfile)}  ${kb(r.bytes)}  imports: ${r.imports.join(', ')}`];
  for (const u of r.unmapped) lines.push(`  warning: threshold "${u.expr}" left out: ${u.why}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines;
}

/**
 * `runner build [scenario...] --target k6|node`: k6 bundles (dist/k6/<name>.js) or Node bundles
 * (dist/node/<name>.cjs, what `runner run` loads). Each scenario is loaded and checked on Node first,
 * so bad options fail here with the message `runner run` would give.
 */
export async function buildCommand(a: BuildArgs, out: NodeJS.WritableStream): Promise<number> {
  const target = checkTarget(a.target);
  const files = scenarioFiles(a);
  const outDir = path.resolve(a.cwd, a.outDir ?? path.join('dist', target));
  for (const file of files) {
    let nodeBundle: string | undefined;
    const load = async (): Promise<ReturnType<typeof checkModule>> => {
      nodeBundle = await bundleForNode(path.resolve(a.cwd, file), ROOT);
      return checkModule(loadBundle(nodeBundle, file), file);
    };
    try {
      if (target === 'k6') {
        const r = await buildK6(file, load, { root: ROOT, outDir, legacy: a.k6Legacy, cwd: a.cwd });
        out.write(`${k6Report(r, a.cwd).join('\n')}\n`);
      } else {
        await load();
        fs.mkdirSync(outDir, { recursive: true });
        const outfile = path.join(outDir, `${scenarioName(file)}.cjs`);
        fs.copyFileSync(nodeBundle as string, outfile);
        out.write(`${path.relative(a.cwd, outfile)}  ${kb(fs.statSync(outfile).size)}\n`);
      }
    } finally {
      if (nodeBundle !== undefined) removeBundle(nodeBundle);
    }
  }
  return 0;
}
