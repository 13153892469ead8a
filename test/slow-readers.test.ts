import path from 'node:path';
import { ImServer, ServerStats, startImServer } from '../server/server';
import type { SendBufferPolicy } from '../server/send-buffer';
import { sendPlan } from '../lib/helpers/send-plan';
import { hold, ramp } from '../lib/scenario/stages';
import { ROOT, runCli, serveCli, spawnedBadInputLine, tmpDir, writeScenario } from './helpers';

/**
 * Slow and stalled readers (docs/slow-readers.md) against the embedded IM server, in-process with
 * a send-buffer policy (server/send-buffer.ts): 8 VUs in one room of scenarios/messaging.ts, each
 * sending 16 KB messages 25 times a second, so each VU is sent ~2.8 MB/s. VU 7 (share 0.125) reads
 * slowly or stalls. The server's own counters say what it held and refused or closed; the summary
 * keeps everyone else's delivery latency apart from the slow VU's.
 */
const VUS = 8; // share 0.125 chooses VU 7 alone (lib/options/flow-options.ts chosen)
const LIMIT = 256 * 1024;
/** Messages each VU's plan sends (the same for every VU, known before the run: lib/helpers/send-plan.ts). */
const PLANNED = sendPlan([ramp('0s', VUS), hold('8s')], 0, { rate: 25, warmupMs: 500, drainMs: 1000 }).count;

const scenario = (flow: string): string =>
  writeScenario(`import vuFn, { options as base } from ${JSON.stringify(path.join(ROOT, 'scenarios', 'messaging.ts'))};
import { hold, ramp } from 'wsbench';
export const options = {
  ...base, stages: [ramp('0s', ${VUS}), hold('8s')], pingInterval: '30s',
  extra: { msgSize: 16384, msgRate: 25, roomSize: ${VUS}, msgWarmup: '500ms', msgDrain: '1s' },
  ${flow},
};
export default vuFn;
`);

async function runWith(flow: string, policy: SendBufferPolicy): Promise<{ s: NonNullable<Awaited<ReturnType<typeof runCli>>['summary']>; server: ReturnType<ImServer['stats']> }> {
  const im = await startImServer({ sendBuffer: policy });
  try {
    const r = await runCli('runner', ['run', scenario(flow), '--target', im.url]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.summary).toBeDefined();
    return { s: r.summary!, server: im.stats() };
  } finally {
    await im.close();
  }
}

describe('slow readers against the embedded server', () => {
  it('a slow reader: the server holds its send buffer past the limit and refuses deliveries to it; everyone else gets every message', async () => {
    const { s, server } = await runWith('slowReaders: { share: 0.125, bytesPerSec: 65536 }', { limitBytes: LIMIT });
    expect(s.slowReaders.connections).toBe(1);
    expect(server.accepted).toBe(VUS);
    // the server's own view: the buffer grew past the limit, and what it refused is what it did not write
    expect(server.sendBufferMaxBytes).toBeGreaterThan(LIMIT);
    expect(server.sendBufferFull).toBeGreaterThan(0);
    expect(server.sendBufferClosed).toBe(0);
    expect(server.delivered + server.sendBufferFull).toBe(s.messages.expected);
    // every VU sent alike; of each message the 7 fast VUs expect 6 copies (7 of the slow VU's): all arrived
    const perVu = PLANNED;
    expect(s.messages.sent).toBe(VUS * PLANNED);
    expect(s.messages.latencyMs.count).toBe(perVu * (7 * 6 + 7));
    // the slow VU got some, late: its figures are its own
    const slow = s.slowReaders.latencyMs;
    expect(slow.count).toBeGreaterThan(0);
    expect(slow.count).toBeLessThan(perVu * 7 - server.sendBufferFull + 1);
    expect(s.messages.delivered).toBe(s.messages.latencyMs.count + slow.count);
    expect(slow.p50!).toBeGreaterThan(s.messages.latencyMs.p99!);
    // it read at its rate: 64 KiB/s over the run, plus at most one burst (test/read-flow.test.ts)
    expect(slow.count * 16_384).toBeLessThanOrEqual(65_536 * (s.durationSec + s.closeSec + 1) + 192 * 1024);
    console.log(`slow reader: server max buffer ${server.sendBufferMaxBytes} B, refused ${server.sendBufferFull}, delivered ${server.delivered}; `
      + `others' latency n=${s.messages.latencyMs.count} p50 ${s.messages.latencyMs.p50} p99 ${s.messages.latencyMs.p99} ms; slow n=${slow.count} p50 ${slow.p50} p99 ${slow.p99} ms`);
  }, 90_000);

  it('a stalled reader: runner serve --send-buffer-close 1013 closes it past the limit; it reads the close when it resumes', async () => {
    const serve = await serveCli(['--send-buffer-limit', '256KB', '--send-buffer-close', '1013']);
    let s: NonNullable<Awaited<ReturnType<typeof runCli>>['summary']>;
    let server: ServerStats;
    try {
      const r = await runCli('runner', ['run', scenario("stall: { share: 0.125, after: '1s', for: '3s' }"), '--target', serve.url]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      s = r.summary!;
      server = (await serve.stats()) as unknown as ServerStats;
    } finally {
      await serve.stop();
    }
    expect(s.slowReaders.connections).toBe(1);
    expect(server.sendBufferClosed).toBe(1);
    expect(server.sendBufferMaxBytes).toBeGreaterThan(LIMIT);
    expect(s.connections.disconnected).toBe(1);
    expect(s.connections.disconnectReasons).toEqual({ 'close 1013': 1 });
    // the 7 others sent their plan; the stalled VU sent until it was closed: of its messages the 7 others expect 7 copies each
    const stalledSent = s.messages.sent - 7 * PLANNED;
    expect(stalledSent).toBeGreaterThan(0);
    expect(stalledSent).toBeLessThan(PLANNED);
    expect(s.messages.latencyMs.count).toBe(7 * 6 * PLANNED + 7 * stalledSent);
    expect(s.slowReaders.latencyMs.count).toBeGreaterThan(0);
    console.log(`stalled reader: server closed ${server.sendBufferClosed} with 1013 (max buffer ${server.sendBufferMaxBytes} B, refused ${server.sendBufferFull}); `
      + `client disconnects ${JSON.stringify(s.connections.disconnectReasons)}; others' latency n=${s.messages.latencyMs.count} p99 ${s.messages.latencyMs.p99} ms`);
  }, 90_000);

  it('without slow readers the slowReaders block is null', async () => {
    const { s } = await runWith('compression: false', { limitBytes: 64 * 1024 * 1024 });
    expect(s.slowReaders.connections).toBeNull();
    expect(s.slowReaders.latencyMs.count).toBe(0);
    expect(s.slowReaders.latencyMs.p50).toBeNull();
  }, 90_000);
});

describe('slow readers: refused where they cannot be honoured', () => {
  const file = scenario("slowReaders: { share: 0.05, bytesPerSec: 1024 }, stall: { share: 0.05, after: '1s', for: '2s' }");

  it('the k6 build refuses slowReaders and stall in one line', async () => {
    const r = await runCli('runner', ['build', file, '--target', 'k6', '--out-dir', tmpDir()], { noExport: true, cwd: ROOT });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^cannot build .*scenario\.ts for k6: options\.slowReaders and options\.stall need read flow control, which k6\/websockets does not give a script; run it with runner run\n$/);
  }, 60_000);

  it('bad values: one line each', async () => {
    const close = await spawnedBadInputLine('runner', ['serve', '--send-buffer-limit', '1MB', '--send-buffer-close', '1000']);
    expect(close).toBe('--send-buffer-close must be 1008 or 1013 (got 1000)');
    const alone = await spawnedBadInputLine('runner', ['serve', '--send-buffer-close', '1013']);
    expect(alone).toBe('--send-buffer-close needs --send-buffer-limit (e.g. --send-buffer-limit 256KB)');
    const share = await spawnedBadInputLine('runner', ['run', scenario('slowReaders: { share: 2, bytesPerSec: 1024 }')]);
    expect(share).toMatch(/options\.slowReaders\.share in .*scenario\.ts must be a number more than 0 and at most 1 \(got 2\)/);
    const key = await spawnedBadInputLine('runner', ['run', scenario("stall: { share: 0.1, after: '1s', during: '2s' }")]);
    expect(key).toMatch(/options\.stall in .*scenario\.ts takes share, after, for \(got "during"\)/);
  }, 60_000);
});
