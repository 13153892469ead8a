import fs from 'node:fs';
import path from 'node:path';
import { k6Thresholds } from '../lib/k6/options';
import { startFaultServer } from './fault-server';
import { ROOT, runCli, tmpDir } from './helpers';
import { K6Sandbox } from './k6-sandbox';

/**
 * k6's own rules, checked at build time and shown under the k6 double (issue 11 points 2-5): each
 * test here fails on the build before the fix.
 */

const OUT = tmpDir('wsbench-k6-rules-');

async function build(fixture: string, extra: string[] = []): ReturnType<typeof runCli> {
  return runCli('runner', ['build', `test/fixtures/k6/${fixture}.ts`, '--out-dir', OUT, ...extra], { noExport: true, cwd: ROOT });
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('point 3: metric names k6 would refuse or merge fail the build (one line, exit 1)', () => {
  test('metrics: { "my.metric-x": ... }: not k6\'s name pattern', async () => {
    const r = await build('bad-metric-name');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'options.metrics in test/fixtures/k6/bad-metric-name.ts: metric "my.metric-x" is not a valid k6 metric name: k6 requires ^[a-zA-Z_][a-zA-Z0-9_]{1,128}$ (letters, digits and _, 2 to 129 characters) and refuses it at init with "Invalid metric name"\n',
    );
    expect(fs.existsSync(path.join(OUT, 'bad-metric-name.js'))).toBe(false);
  });

  test('metrics: { ws_sessions: "counter" }: k6\'s own counter, which would count twice', async () => {
    const r = await build('builtin-metric');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe(
      'options.metrics in test/fixtures/k6/builtin-metric.ts: metric "ws_sessions" is k6\'s own counter: k6 merges a custom counter of that name into it, so its samples would count twice (k6 metrics/registry.go NewMetric); pick another name\n',
    );
  });

  test('`runner run` refuses the same declarations before anything starts (one line, exit 1)', async () => {
    const r = await runCli('runner', ['run', 'test/fixtures/k6/bad-metric-name.ts'], { noExport: true, cwd: ROOT });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'options.metrics in test/fixtures/k6/bad-metric-name.ts: metric "my.metric-x" is not a valid k6 metric name: k6 requires ^[a-zA-Z_][a-zA-Z0-9_]{1,128}$ (letters, digits and _, 2 to 129 characters) and refuses it at init with "Invalid metric name"\n',
    );
  });

  test('the double shows why: k6\'s registry merges a same-type ws_sessions and refuses the other cases at init', () => {
    const code = (decl: string): string =>
      `import { Counter, Trend } from "k6/metrics";\nconst m = ${decl};\nexport const options = {};\nexport default function () { m.add(1); }\n`;
    const same = K6Sandbox.fromCode(code('new Counter("ws_sessions")'), { env: {} });
    expect(same.registry.get('ws_sessions')?.builtin).toBe(true); // the script's Counter IS k6's metric
    expect(() => K6Sandbox.fromCode(code('new Trend("ws_sessions")'), { env: {} })).toThrow("metric 'ws_sessions' already exists but with type counter, instead of trend");
    expect(() => K6Sandbox.fromCode(code('new Trend("ws_ping")'), { env: {} })).toThrow("metric 'ws_ping' already exists but with a value type time, instead of default");
    expect(() => K6Sandbox.fromCode(code('new Counter("my.metric-x")'), { env: {} })).toThrow("Invalid metric name: 'my.metric-x'");
  });
});

describe('point 4: no threshold on a Trend the run cannot fill', () => {
  test("pingType 'app': heartbeat.rttMs is left out with the reason, never mapped to ws_ping", async () => {
    const r = await build('app-ping-rtt');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "warning: threshold \"heartbeat.rttMs.p95 < 100\" left out: with pingType 'app' no protocol pong ever reaches k6, so ws_ping stays empty and k6 would read its p(N) as 0",
    );
    const server = await startFaultServer();
    const sb = K6Sandbox.load(path.join(OUT, 'app-ping-rtt.js'), { env: { TARGET: server.url } });
    try {
      const options = sb.exports.options as { thresholds: Record<string, unknown> };
      expect(options.thresholds).toEqual({ ws_connect_success: ['rate>=0.99'] });
      // and why: a run with app pings leaves ws_ping empty, whose p(95) k6 reads as 0 (a pass)
      void sb.iteration(1);
      await until(() => sb.sockets[0]?.double.readyState === 1, 'open');
      for (let k = 1; k <= 4; k++) {
        sb.clock.advance(1000);
        await until(() => sb.count('ws_pongs_received') === k, `pong ${k}`);
      }
      expect(sb.trend('ws_ping')).toEqual([]);
      expect(sb.registry.percentile('ws_ping', 0.95)).toBe(0);
    } finally {
      sb.destroy();
      await server.close();
    }
  });
});

test('a Trend threshold maps only onto a Trend the run fills: ws_ping with protocol pings, ws_msg_latency when recorded', () => {
  const exprs = ['heartbeat.rttMs.p95 < 100', 'messages.latencyMs.p99 < 200', 'connectLatencyMs.p99 < 100'];
  const latency = { name: 'ws_msg_latency', kind: 'trend' as const };
  const protocol = k6Thresholds(exprs, { declared: [latency], pingType: 'protocol' });
  expect(protocol.thresholds).toEqual({ ws_ping: ['p(95)<100'], ws_msg_latency: ['p(99)<200'], ws_connect_latency: ['p(99)<100'] });
  const app = k6Thresholds(exprs, { declared: [], pingType: 'app' });
  expect(app.thresholds).toEqual({ ws_connect_latency: ['p(99)<100'] });
  expect(app.unmapped.map((u) => u.expr)).toEqual(['heartbeat.rttMs.p95 < 100', 'messages.latencyMs.p99 < 200']);
  expect(app.unmapped[1]?.why).toBe("nothing in the scenario's code records ws_msg_latency, and k6 would read the empty Trend's p(N) as 0");
});

describe('point 5: declarations, never guesses: the helpers the code reaches, and options.metrics', () => {
  test('connect-only declares no im_* and no ws_msg_latency; messaging declares them, and its own options.metrics', async () => {
    const out = tmpDir();
    const r = await runCli('runner', ['build', 'scenarios/connect-only.ts', 'scenarios/messaging.ts', '--out-dir', out], { noExport: true, cwd: ROOT });
    expect(r.code).toBe(0);
    const names = (f: string): string[] => K6Sandbox.load(path.join(out, f), { env: { TARGET: 'ws://127.0.0.1:9/ws' } }).declared.map((d) => d.name);
    const co = names('connect-only.js');
    expect(co.filter((n) => n.startsWith('im_') || n === 'ws_msg_latency')).toEqual([]);
    expect(co).toEqual(expect.arrayContaining(['ws_connect_attempts', 'ws_connect_success', 'ws_disconnects', 'ws_pong_rate']));
    expect(names('messaging.js')).toEqual(expect.arrayContaining(['im_sent', 'im_delivered', 'ws_msg_latency', 'im_ack_rtt', 'im_ack_timeouts', 'im_error_frames']));
    expect(co.filter((n) => n === 'im_error_frames' || n.startsWith('im_ack'))).toEqual([]);
  });
});

describe('point 2: ws_* samples are tagged with the target template, not the URL with the VU and token', () => {
  test('url and name tags of k6\'s own ws_sessions / ws_connecting are the template, for every VU', async () => {
    const r = await build('token-target');
    expect(r.code).toBe(0);
    const server = await startFaultServer();
    const template = `${server.url}?uid=\${vu}&token=\${token}`;
    const sb = K6Sandbox.load(path.join(OUT, 'token-target.js'), { env: { TARGET: template } });
    try {
      void sb.iteration(1);
      void sb.iteration(2);
      await until(() => sb.sockets.filter((s) => s.double.readyState === 1).length === 2, 'both open');
      expect(server.seen.map((s) => s.url).sort()).toEqual(['/ws?uid=0&token=s3cr3t-a', '/ws?uid=1&token=s3cr3t-b']);
      const tags = [...new Set(sb.tagsOf('ws_sessions'))];
      expect(tags).toEqual([`url:${template},name:${template},status:101`]);
      expect(JSON.stringify(sb.registry.samples)).not.toContain('s3cr3t');
    } finally {
      sb.destroy();
      await server.close();
    }
  });
});
