import esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../lib/scenario/config-error';

/** Where the scenario API lives, so that scenarios outside this repo can `import ... from 'wsbench'`. */
export function libEntry(root: string): string {
  return path.join(root, 'lib', 'index.ts');
}

/** The public import names of a scenario: `wsbench` (lib/index.ts) and its named sub-paths (`wsbench/helpers`, `wsbench/protocols`). */
export function publicAliases(root: string): Record<string, string> {
  return {
    wsbench: libEntry(root),
    'wsbench/helpers': path.join(root, 'lib', 'helpers.ts'),
    'wsbench/protocols': path.join(root, 'lib', 'protocols.ts'),
  };
}

/** A scenario's name: its file name without the .ts/.js extension. */
export function scenarioName(file: string): string {
  return path.basename(file).replace(/\.[cm]?[jt]s$/, '');
}

/** esbuild's first error as `file:line:column: text`, else the error's message. */
export function esbuildError(err: unknown): string {
  const e = err as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> };
  const first = e.errors?.[0];
  const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : '';
  return `${where}${first?.text ?? (err as Error).message}`;
}

/** Node bundles in flight in this process: the last one to finish stops esbuild's service. */
let building = 0;

/**
 * Bundles a scenario for the Node runner into a temporary CommonJS file (one per run, shared by
 * every worker), with an inline source map so that scenario errors name the .ts file and line.
 * The caller removes it with removeBundle once no worker will load it; a build that fails leaves nothing.
 */
export async function bundleForNode(file: string, root: string): Promise<string> {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) {
    throw new ConfigError(`scenario file not found: ${file} (give a path like scenarios/connect-only.ts)`);
  }
  const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wsbench-')), `${scenarioName(abs)}.cjs`);
  building++;
  try {
    await esbuild.build({
      entryPoints: [abs],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      sourcemap: 'inline',
      logLevel: 'silent',
      alias: publicAliases(root),
      // packages a scenario imports (protobufjs in scenarios/protobuf.ts) are bundled, found in wsbench's own node_modules
      // too: the bundle runs from a temporary folder, where a require of a package would resolve nothing
      nodePaths: [path.join(root, 'node_modules')],
    });
  } catch (err) {
    removeBundle(outfile);
    throw new ConfigError(`cannot build scenario ${file}: ${esbuildError(err)}`);
  } finally {
    // esbuild keeps its service process until Node exits (~13 MB of RSS for the whole run); a later build starts it again
    if (--building === 0) void esbuild.stop();
  }
  return outfile;
}


/** Removes a bundle bundleForNode wrote, with its temporary folder. */
export function removeBundle(bundle: string): void {
  fs.rmSync(path.dirname(bundle), { recursive: true, force: true });
}
