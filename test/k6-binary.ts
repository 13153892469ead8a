import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A real k6 for the tests that run one: `WSBENCH_K6` (a k6 binary, or a folder of `k6-vX.Y.Z`
 * binaries: the newest is taken), else `k6` on PATH. Undefined when there is none.
 */
export interface K6Binary {
  bin: string;
  version: string;
  /** Older than k6 1.6: bundles need `runner build --k6-legacy` (docs/k6.md, "Which build for which k6"). */
  legacy: boolean;
}

const VERSION = /v(\d+)\.(\d+)\.(\d+)/;
const parts = (v: string): number[] => (VERSION.exec(v) ?? []).slice(1).map(Number);
const newer = (a: string, b: string): number => {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

function binaryOf(env: NodeJS.ProcessEnv): string | undefined {
  const given = env.WSBENCH_K6;
  if (given) {
    if (!fs.existsSync(given)) return undefined;
    if (!fs.statSync(given).isDirectory()) return given;
    const found = fs.readdirSync(given).filter((f) => /^k6-v\d+\.\d+\.\d+$/.test(f)).sort(newer);
    const last = found[found.length - 1];
    return last === undefined ? undefined : path.join(given, last);
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const f = path.join(dir, 'k6');
    if (dir !== '' && fs.existsSync(f) && fs.statSync(f).isFile()) return f;
  }
  return undefined;
}

export function findK6(env: NodeJS.ProcessEnv = process.env): K6Binary | undefined {
  const bin = binaryOf(env);
  if (!bin) return undefined;
  const out = execFileSync(bin, ['version'], { encoding: 'utf8', env: { ...process.env, ...K6_ENV } });
  const m = VERSION.exec(out);
  if (!m) return undefined;
  const [major, minor] = parts(m[0]) as [number, number];
  return { bin, version: m[0], legacy: major < 1 || (major === 1 && minor < 6) };
}

/** Every k6 run of the tests: no usage report, no extension resolution over the network. */
export const K6_ENV = { K6_NO_USAGE_REPORT: 'true', K6_AUTO_EXTENSION_RESOLUTION: 'false' };

/** Runs `k6 <args>` to its end: its exit code and output. */
export function runK6(k6: K6Binary, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(k6.bin, args, { cwd, env: { ...process.env, ...K6_ENV } });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}
