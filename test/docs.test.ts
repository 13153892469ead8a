import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { docsFiles, documentedFields, Leaf, leaves, matches, pathOf, Runnable, runnableBlocks } from './docs-extract';
import { CONNECT_ONLY, ROOT, runCli, serveCli, tmpDir, writeScenario } from './helpers';

/**
 * Docs that cannot rot. Every ```bash runnable block of README.md and docs/ runs as a reader would
 * paste it (against the embedded server: no --target), and must end with an exit code it declares
 * (`exit=N`, else 0). Every summary field docs/outputs.md names appears in a real summary, and every
 * field of the real summaries is named there.
 */

const FILES = ['README.md', ...docsFiles(ROOT)];
const BLOCKS = FILES.flatMap((f) => runnableBlocks(fs.readFileSync(path.join(ROOT, f), 'utf8'), f));

/**
 * A folder that looks like a checkout to the block: `scenarios/` of this repository, and
 * `runner`, `wsbench` and `npx runner|wsbench` on PATH as after `npm ci`. Results folders the
 * block writes stay in it, away from the repository's bench/results.
 */
function sandbox(): { cwd: string; env: NodeJS.ProcessEnv } {
  const cwd = tmpDir('wsbench-docs-');
  fs.symlinkSync(path.join(ROOT, 'scenarios'), path.join(cwd, 'scenarios'));
  const bin = path.join(cwd, '.bin');
  fs.mkdirSync(bin);
  const shim = (name: string, body: string): void => fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  shim('runner', `exec "${process.execPath}" "${path.join(ROOT, 'bin', 'runner.js')}" "$@"`);
  shim('wsbench', `exec "${process.execPath}" "${path.join(ROOT, 'bin', 'wsbench.js')}" "$@"`);
  shim('npx', `case "$1" in runner|wsbench) c="$1"; shift; exec "${bin}/$c" "$@";; esac\necho "docs test: npx $1 is not offered here" >&2; exit 127`);
  return { cwd, env: { ...process.env, PATH: `${bin}:${path.dirname(process.execPath)}:${process.env.PATH ?? ''}` } };
}

function runBlock(block: Runnable): Promise<{ code: number | null; out: string }> {
  const { cwd, env } = sandbox();
  for (const f of block.files) fs.writeFileSync(path.join(cwd, f.name), f.code);
  const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', block.code], { cwd, env, detached: true });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  // a bound, not an assertion: a block that hangs is killed (with all it started) and fails
  const guard = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 150_000);
  return new Promise((resolve) => child.on('close', (c) => {
    clearTimeout(guard);
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* the block left nothing running */ }
    resolve({ code: c, out });
  }));
}

describe('runnable blocks', () => {
  test('there are some, in README.md and in docs/', () => {
    expect(BLOCKS.filter((b) => b.where.startsWith('README.md')).length).toBeGreaterThan(0);
    expect(BLOCKS.filter((b) => b.where.startsWith('docs/')).length).toBeGreaterThan(5);
  });

  test.each(BLOCKS.map((b) => [b.where, b] as const))('%s', async (_where, block) => {
    const r = await runBlock(block);
    if (r.code === null || !block.exit.includes(r.code)) {
      throw new Error(`exit ${r.code}, the block declares ${block.exit.join(' or ')}; output:\n${r.out.slice(-3000)}`);
    }
    expect(r.out).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // never a stack trace
    if (r.code === 99 && block.exit.includes(0)) {
      // 0|99: only a latency threshold may have been crossed (this machine was busy), nothing else
      const crossed = r.out.split('\n').filter((l) => l.startsWith('✗ '));
      expect(crossed.length).toBeGreaterThan(0);
      expect(crossed.filter((l) => !/^✗ \S*(LatencyMs|rttMs)\.p\d+ /.test(l))).toEqual([]);
    }
  }, 180_000);
});

/**
 * A scenario with one metric of each kind, so that the summary has `metrics.<name>` of each form;
 * its first three VUs hold the event loop for 200 ms each as they start, so that the runner's own
 * warnings (`runner.warnings[]`: event-loop delay, late starts) appear on a quiet machine too.
 */
const CUSTOM = `
import { keepAlive, hold, ramp, ScenarioOptions, VuContext } from 'wsbench';
export const options: ScenarioOptions = {
  stages: [ramp('1s', 10), hold('2s')], pingInterval: '1s',
  metrics: { docs_opens: 'counter', docs_open_at_ms: 'trend', docs_even_vu: 'rate' },
};
export default function (vu: VuContext): void {
  if (vu.id < 3) for (const end = Date.now() + 200; Date.now() < end;);
  const ws = keepAlive(vu);
  ws.addEventListener('open', () => {
    vu.counter('docs_opens').add();
    vu.trend('docs_open_at_ms').add(vu.now() % 100);
    vu.rate('docs_even_vu').add(vu.id % 2 === 0);
  });
}
`;

describe('docs/outputs.md names every summary field, and only real ones', () => {
  const DOCUMENTED = documentedFields(fs.readFileSync(path.join(ROOT, 'docs', 'outputs.md'), 'utf8'));
  const REAL: Leaf[] = [];
  const ok = ['--threshold', 'connections.successRate >= 0.99'];

  beforeAll(async () => {
    // a server that restarts every 4 s: drops, a disconnect wave, reconnects and their recovery
    const chaos = await serveCli(['--restart-every', '4s', '--restart-down', '500ms']);
    const runs = [
      // pings, the scenario's own metrics, and reconnecting VUs through the restarts
      await runCli('runner', ['run', writeScenario(CUSTOM), '--target', chaos.url, '--conns', '300', '--ramp', '1s', '--duration', '12s',
        '--reconnect', '--reconnect-initial', '200ms', '--reconnect-max', '1s', '--threshold', 'connections.succeeded > 300'])
        .finally(() => chaos.stop()),
      // messaging: the messages block
      await runCli('wsbench', ['--mode', 'messaging', '--conns', '20', '--ramp', '1s', '--duration', '4s', '--msg-rate', '5', ...ok]),
      // nothing listens: failure classes, and an abortOnFail threshold that stops the run
      await runCli('runner', ['run', CONNECT_ONLY, '--target', `ws://127.0.0.1:${await closedPort()}/ws`, '--conns', '10', '--ramp', '2s',
        '--duration', '4s', '--threshold', 'connections.failed < 1, abortOnFail']),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 99]);
    for (const r of runs) REAL.push(...leaves(r.summary));
  }, 180_000);

  test('the table holds the contract fields of docs/architecture.md', () => {
    expect(DOCUMENTED).toEqual(expect.arrayContaining([
      'scenario', 'target', 'startedAt', 'durationSec', 'connections.attempted', 'connections.peak',
      'connections.errors.<class>', 'connectLatencyMs.p99', 'heartbeat.pongRate', 'messages.lost', 'thresholds.<expression>.ok',
    ]));
  });

  test('every field of a real summary is documented', () => {
    const undocumented = REAL.filter((l) => !DOCUMENTED.some((d) => matches(d, l))).map((l) => pathOf(l.keys));
    expect([...new Set(undocumented)]).toEqual([]);
  });

  test('every documented field is in a real summary', () => {
    const absent = DOCUMENTED.filter((d) => !CONDITIONAL.includes(d) && !REAL.some((l) => !l.open && matches(d, l)));
    expect(absent).toEqual([]);
  });
});

/**
 * Fields that appear only after an event these short runs do not cause, each proven by the test
 * of that event instead (named here so that the list stays short and honest).
 */
const CONDITIONAL = [
  'runner.workers[].died', // scale.test.ts: a worker killed mid-run
  'thresholds.<expression>.note', // declared-metrics.test.ts: a threshold that cannot be judged after the run
  // slow-readers.test.ts: a run with slow readers (options.slowReaders) sending messages
  'bytes.compressedConnections', // compression.test.ts: a run with options.compression
  'slowReaders.connections', ...['min', 'max', 'avg', 'stddev', 'p50', 'p90', 'p95', 'p99'].map((k) => `slowReaders.latencyMs.${k}`),
  // arrivals.test.ts: a run with an arrive stage
  ...['planned', 'arrived', 'departed', 'dropped', 'arrivalsPerSec'].map((f) => `arrivals.${f}`),
  ...['count', 'min', 'max', 'avg', 'stddev', 'p50', 'p90', 'p95', 'p99'].map((f) => `arrivals.lifetimeMs.${f}`),
  ...['stage', 'fromSec', 'toSec', 'expectedOpen', 'tolerance', 'measuredOpen', 'arrivalsPerSec', 'departuresPerSec', 'ok'].map((f) => `arrivals.little[].${f}`),
];


/** A loopback port where nothing listens (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
