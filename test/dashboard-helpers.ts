import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Summary } from '../lib/results/summary';
import { ROOT, tmpDir } from './helpers';
import { freePort } from './servers/processes';

export { freePort };

export const PROMETHEUS = '/usr/bin/prometheus';

/** A runner process with --dashboard; its stderr is watched for lines. */
export interface LiveRun {
  proc: ChildProcess;
  stderr: () => string;
  /** Resolves with the first stderr line matching `re`. */
  line(re: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  summaryFile: string;
  summary(): Summary;
}

export function spawnRun(args: string[]): LiveRun {
  const dir = tmpDir('wsbench-dash-');
  const summaryFile = path.join(dir, 'summary.json');
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin', 'runner.js'), 'run', ...args, '--summary-export', summaryFile, '--out-dir', path.join(dir, 'results'), '--quiet'], { cwd: dir });
  let err = '';
  const waiters: Array<{ re: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  proc.stdout?.resume();
  proc.stderr?.on('data', (d) => {
    err += d;
    for (const w of [...waiters]) {
      const m = w.re.exec(err);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return {
    proc, summaryFile, exited,
    stderr: () => err,
    line: (re) => new Promise((resolve, reject) => {
      const m = re.exec(err);
      if (m) return resolve(m);
      waiters.push({ re, resolve });
      void exited.then(() => reject(new Error(`runner exited before ${re}; stderr:\n${err}`)));
    }),
    summary: () => JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as Summary,
  };
}

export interface Prometheus {
  url: string;
  /** Instant query: the result vector. */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  /** Range query over [start, end] (epoch s) at 1 s steps: the result matrix. */
  queryRange(expr: string, start: number, end: number): Promise<Array<{ metric: Record<string, string>; values: Array<[number, string]> }>>;
  stop(): Promise<void>;
}

/** Debian's prometheus, scraping `target` (host:port) every second, on a free loopback port with its own storage. */
export async function startPrometheus(target: string): Promise<Prometheus> {
  if (!fs.existsSync(PROMETHEUS)) throw new Error(`${PROMETHEUS} is missing: apt-get install -y prometheus (.ci/run installs it)`);
  const dir = tmpDir('wsbench-prom-');
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), [
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    'scrape_configs:',
    '  - job_name: wsbench',
    '    scrape_interval: 1s',
    '    scrape_timeout: 900ms',
    `    static_configs: [{ targets: ['${target}'] }]`,
    '',
  ].join('\n'));
  const proc = spawn(PROMETHEUS, [
    `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr?.on('data', (d) => (log += d));
  const exited = new Promise<void>((resolve) => proc.on('close', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  // ready when its API answers (no sleeps: poll until it does, or it died)
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
    const ok = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const api = async <T>(p: string, params: Record<string, string>): Promise<T> => {
    const r = await fetch(`${url}/api/v1/${p}?${new URLSearchParams(params)}`);
    const body = (await r.json()) as { status: string; data: { result: unknown }; error?: string };
    if (body.status !== 'success') throw new Error(`${params.query}: ${body.error}`);
    return body.data.result as T; // Prometheus's documented result shape of the query type
  };
  return {
    url,
    query: (expr) => api('query', { query: expr }),
    queryRange: (expr, start, end) => api('query_range', { query: expr, start: String(start), end: String(end), step: '1' }),
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls `check` (a Prometheus query, say) until it returns true; bounded by the test's timeout. */
export async function until(check: () => Promise<boolean>, what: string, limitMs = 90_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}
