import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, runCli, tmpDir } from '../helpers';
import { findK6, K6_ENV, K6Binary } from './k6-binaries';

/**
 * Real k6 processes for the conformance tier: the binaries found (k6-binaries.js), bundles built
 * as a user builds them (`runner build --target k6`, `--k6-legacy` for k6 < 1.6), and `k6 run`
 * with the environment that keeps everything on this machine, its raw samples (`--out json`) read back.
 */

export const FOUND = findK6();
export const BINARIES: K6Binary[] = FOUND.binaries;
/** `describe` when a k6 binary was found, else `describe.skip` (the tier's tests skip cleanly in `npm test`). */
export const describeK6 = BINARIES.length > 0 ? describe : describe.skip;
export type { K6Binary };

/** Whether a binary is older than k6 `major.minor`. */
export function olderThan(bin: K6Binary, major: number, minor: number): boolean {
  const [a, b] = bin.version.slice(1).split('.').map(Number) as [number, number];
  return a < major || (a === major && b < minor);
}

/** `runner build <scenario> --target k6 [--k6-legacy]` into a fresh folder; the bundle's path. */
export async function buildBundle(scenario: string, legacy: boolean): Promise<string> {
  const out = tmpDir('wsbench-k6-real-');
  const r = await runCli('runner', ['build', scenario, '--target', 'k6', '--out-dir', out, ...(legacy ? ['--k6-legacy'] : [])], { noExport: true, cwd: ROOT });
  if (r.code !== 0) throw new Error(`runner build ${scenario} failed: ${r.stderr}`);
  return path.join(out, `${path.basename(scenario).replace(/\.[cm]?[jt]s$/, '')}.js`);
}

/** One raw sample of k6's JSON output. */
export interface Point {
  metric: string;
  value: number;
  tags: Record<string, string>;
}

export interface K6Run {
  code: number | null;
  stdout: string;
  stderr: string;
  points: Point[];
  /** The `--out json` file of the points, kept (for `runner report --k6`). */
  file: string;
}

/** `k6 run -q <script> --out json=... <args>` with K6_ENV, and `-e` for each of `env`. */
export function runK6(bin: K6Binary, script: string, args: string[], env: Record<string, string> = {}): Promise<K6Run> {
  const out = path.join(tmpDir('wsbench-k6-out-'), 'points.json');
  const e = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const child = spawn(bin.path, ['run', '-q', '--out', `json=${out}`, ...e, ...args, script], { env: { ...process.env, ...K6_ENV }, cwd: path.dirname(script) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
      const points: Point[] = [];
      for (const line of text.split('\n')) {
        if (line === '') continue;
        const p = JSON.parse(line) as { type: string; metric: string; data: { value: number; tags?: Record<string, string> | null } };
        if (p.type === 'Point') points.push({ metric: p.metric, value: p.data.value, tags: p.data.tags ?? {} });
      }
      resolve({ code, stdout, stderr, points, file: out });
    });
  });
}

/** The samples of one metric (with these tags, if given). */
export function samples(r: K6Run, metric: string, tags: Record<string, string> = {}): Point[] {
  return r.points.filter((p) => p.metric === metric && Object.entries(tags).every(([k, v]) => p.tags[k] === v));
}

/** A Counter's total (or a Trend's / Rate's number of samples: `n`). */
export const total = (r: K6Run, metric: string, tags?: Record<string, string>): number => samples(r, metric, tags).reduce((t, p) => t + p.value, 0);
export const n = (r: K6Run, metric: string, tags?: Record<string, string>): number => samples(r, metric, tags).length;

/** A Counter's total per value of one of its tags. */
export function byTag(r: K6Run, metric: string, tag: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of samples(r, metric)) {
    const k = p.tags[tag] ?? '';
    out[k] = (out[k] ?? 0) + p.value;
  }
  return out;
}

/** k6's log lines (stderr, logfmt) at a level: their `msg`. */
export function logs(r: K6Run, level: 'error' | 'warning' | 'info'): string[] {
  const out: string[] = [];
  for (const line of r.stderr.split('\n')) {
    if (!line.includes(`level=${level}`)) continue;
    const m = /msg="((?:[^"\\]|\\.)*)"/.exec(line);
    if (m) out.push(JSON.parse(`"${m[1]}"`) as string);
  }
  return out;
}
