import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Summary } from '../lib/results/summary';
import { FaultOptions, FaultServer, startFaultServer } from './fault-server';

export const ROOT = path.join(__dirname, '..');
/** The seed tool's built-in scenario, the one most tests run. */
export const CONNECT_ONLY = path.join(ROOT, 'scenarios', 'connect-only.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The summary JSON written by --summary-export, when the run got that far. */
  summary?: Summary;
  outDir: string;
}

export function tmpDir(prefix = 'wsbench-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Spawns the CLI as a user would (`node bin/runner.js ...`), with the summary exported to a
 * temporary folder. `onSpawn` gets the child (to send signals).
 */
export function runCli(
  bin: 'runner' | 'wsbench',
  args: string[],
  opts: {
    onSpawn?: (pid: number) => void;
    /** Each chunk the runner writes to stderr, as it comes (to wait on its own lines). */
    onStderr?: (text: string) => void;
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    noExport?: boolean;
    openFiles?: number;
  } = {},
): Promise<CliResult> {
  const dir = tmpDir();
  const summaryFile = path.join(dir, 'summary-export.json');
  const extra = opts.noExport ? [] : ['--summary-export', summaryFile, '--out-dir', path.join(dir, 'results'), '--quiet'];
  const argv = [path.join(ROOT, 'bin', `${bin}.js`), ...args, ...extra];
  // `openFiles` runs the CLI under a lower open-files limit (ulimit -n), as a smaller machine would
  const [cmd, cmdArgs] = opts.openFiles
    ? ['bash', ['-c', `ulimit -n ${opts.openFiles} && exec "$0" "$@"`, process.execPath, ...argv]]
    : [process.execPath, argv];
  const child = spawn(cmd, cmdArgs as string[], {
    cwd: opts.cwd ?? dir,
    env: { ...process.env, ...opts.env },
  });
  opts.onSpawn?.(child.pid as number);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    opts.onStderr?.(String(d));
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const summary = fs.existsSync(summaryFile) ? (JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as Summary) : undefined;
      resolve({ code, stdout, stderr, summary, outDir: path.join(dir, 'results') });
    });
  });
}

/** Writes a scenario file into a temporary folder; it imports the API as 'wsbench'. */
export function writeScenario(source: string, name = 'scenario.ts'): string {
  const file = path.join(tmpDir('wsbench-scenario-'), name);
  fs.writeFileSync(file, source);
  return file;
}

/**
 * A scenario file that runs `scenario` (a path) with its options changed: `overrides` is the source
 * of what is spread over them, where `base` is the scenario's own options and `ramp`/`hold` are in
 * scope, e.g. "extra: { ...base.extra, msgWarmup: '2s' }".
 */
export function scenarioWith(scenario: string, overrides: string, name = 'scenario.ts'): string {
  return writeScenario([
    `import run, { options as base } from ${JSON.stringify(scenario)};`,
    `import { ramp, hold } from ${JSON.stringify(path.join(ROOT, 'lib'))};`,
    `export const options = { ...base, ${overrides} };`,
    'export default run;', '',
  ].join('\n'), name);
}

/** The summary.json of a results folder (a run's `outDir`, a merge's `--out`). */
export function readSummary(dir: string): Summary {
  return JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) as Summary;
}

/** The CLI called in-process (`main` of runner/cli.ts) with its output captured: what a user sees, without a process. */
export async function cliInProcess(bin: 'runner' | 'wsbench', args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../runner/cli');
  const out = { stdout: '', stderr: '' };
  const sink = (k: keyof typeof out): Writable =>
    new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        out[k] += String(chunk);
        cb();
      },
    });
  const code = await main(args, { stdout: sink('stdout'), stderr: sink('stderr') }, bin);
  return { code, ...out };
}

/** Asserts what input the CLI must refuse gives: exit 1, exactly one line on stderr (no stack trace), nothing on stdout. */
function oneBadLine(r: { code: number | null; stdout: string; stderr: string }): string {
  expect(r.code).toBe(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(r.stdout).toBe('');
  return lines[0] as string;
}

/** Runs input the CLI must refuse, in-process; asserts exit 1 and one line (see oneBadLine); returns that line. */
export async function badInputLine(bin: 'runner' | 'wsbench', args: string[]): Promise<string> {
  return oneBadLine(await cliInProcess(bin, args));
}

/** The same through a real process (`node bin/<bin>.js`): the smoke test of the exit path. */
export async function spawnedBadInputLine(bin: 'runner' | 'wsbench', args: string[]): Promise<string> {
  return oneBadLine(await runCli(bin, args, { noExport: true }));
}

/**
 * `runner run <file> --target <fault server> ...args` against a fault server started for this run
 * and closed after it; asserts no stack trace on stderr.
 */
export async function runAgainst(opts: FaultOptions, args: string[], file = CONNECT_ONLY): Promise<{ s: Summary; stdout: string; server: FaultServer }> {
  const server = await startFaultServer(opts);
  try {
    const r = await runCli('runner', ['run', file, '--target', server.url, ...args]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    return { s: r.summary!, stdout: r.stdout, server };
  } finally {
    await server.close();
  }
}

/**
 * Resolves with the value of the first k6 JSON point of `metric` in `file` (`--out json=FILE`, one
 * batch a second, written as each second is merged) for which `ok(value)` holds: the runner's own
 * signal that it has reached that state. Woken by the file's changes (inotify), not by a timer.
 */
export function waitForPoint(file: string, metric: string, ok: (value: number) => boolean, timeoutMs = 60_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      for (const line of text.split('\n')) {
        if (!line.includes(`"metric":"${metric}"`) || !line.startsWith('{"type":"Point"')) continue;
        const value = (JSON.parse(line) as { data: { value: number } }).data.value;
        if (ok(value)) {
          finish();
          resolve(value);
          return true;
        }
      }
      return false;
    };
    const watcher = fs.watch(path.dirname(file), () => void check());
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`no ${metric} point as awaited in ${file} within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (): void => {
      watcher.close();
      clearTimeout(timer);
    };
    check();
  });
}


/** A `runner serve` process: its WebSocket URL, its own counters (GET /stats), and a stop that resolves once it exited. */
export interface ServeCli {
  url: string;
  stats(): Promise<{ accepted: number; framesIn: number; acked: number; delivered: number }>;
  stop(): Promise<void>;
}

/** `runner serve` on a free loopback port, with more flags; resolves once it says where it listens. */
export function serveCli(args: string[] = []): Promise<ServeCli> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'runner.js'), 'serve', '--port', '0', ...args]);
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  let out = '';
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`runner serve exited ${code}: ${out}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const url = /ws:\/\/\S+/.exec(out)?.[0];
      const stats = /http:\/\/\S+\/stats/.exec(out)?.[0];
      if (!url || !stats) return;
      resolve({
        url,
        stats: async () => (await (await fetch(stats)).json()) as Awaited<ReturnType<ServeCli['stats']>>,
        stop: () => {
          child.kill('SIGINT');
          return exited;
        },
      });
    });
  });
}
