import { freePort } from '../k6-bundle-helpers';
import { runCli, writeScenario } from '../helpers';
import { BINARIES, buildBundle, byTag, describeK6, K6Binary, logs, runK6, total } from './k6-run';

/**
 * Issue 22, points 1, 4 and 2 on real k6: a VU whose connection fails makes one attempt and lives
 * until the stages end (k6 starts no second attempt in the instant between the end and stopping
 * the VU); thresholds that meet no sample are named in k6's own output; what k6 runs that a VU
 * cannot plan (`--iterations`) stops the test with one line.
 */

const SCENARIO = writeScenario(`import { hold, keepAlive, ramp, ScenarioOptions, VuContext } from 'wsbench';
export const options: ScenarioOptions = { stages: [ramp('1s', 20), hold('1s')], pingInterval: '500ms' };
export default function (vu: VuContext): void {
  keepAlive(vu);
}
`, 'refused.ts');
const bundles: Record<string, Promise<string>> = {};
const bundleFor = (legacy: boolean): Promise<string> => (bundles[String(legacy)] ??= buildBundle(SCENARIO, legacy));
const each = BINARIES.map((b) => [b.version, b] as [string, K6Binary]);

describeK6('one life per VU on real k6', () => {
  let refused = '';
  beforeAll(async () => {
    refused = `ws://127.0.0.1:${await freePort()}/ws`;
  });

  test('runner run: 20 VUs against a refused port make 20 attempts, all ECONNREFUSED', async () => {
    const r = await runCli('runner', ['run', SCENARIO, '--target', refused]);
    expect(r.summary?.connections).toMatchObject({ attempted: 20, succeeded: 0, failed: 20, errors: { ECONNREFUSED: 20 } });
    expect(r.summary?.thresholds['heartbeat.pongRate >= 0.99']).toEqual({ ok: true, value: null });
    expect(r.code).toBe(99);
  });

  test.each(each)('k6 %s: the same 20 attempts, no second one; the thresholds with no data are named in its output', async (_v, bin) => {
    const r = await runK6(bin, await bundleFor(bin.legacy), [], { TARGET: refused });
    expect(total(r, 'ws_connect_attempts')).toBe(20);
    expect(total(r, 'ws_sessions')).toBe(20); // k6's own count of dials
    expect(byTag(r, 'ws_connect_errors', 'error')).toEqual({ ECONNREFUSED: 20 });
    expect(total(r, 'vus_failed')).toBe(0);
    expect(logs(r, 'warning').filter((l) => l.startsWith('wsbench: '))).toEqual([
      'wsbench: no data for threshold "connectLatencyMs.p99 < 100" (k6: ws_connect_latency p(99)<100): nothing was measured, so k6 shows it as passed; runner run reports it as "no data"',
      'wsbench: no data for threshold "heartbeat.pongRate >= 0.99" (k6: ws_pong_rate rate>=0.99): nothing was measured, so k6 shows it as passed; runner run reports it as "no data"',
    ]);
    expect(logs(r, 'error')).toEqual(["thresholds on metrics 'ws_connect_success' have been crossed"]);
    expect(r.code).toBe(99); // k6's exit code for crossed thresholds, as runner run's
  });

  test.each(each)('k6 %s: --iterations 3 stops the test with one line naming the executor, before any connection', async (_v, bin) => {
    const r = await runK6(bin, await bundleFor(bin.legacy), ['--iterations', '3'], { TARGET: refused });
    expect(r.code).toBe(108); // k6's exit code for a test stopped by exec.test.abort
    const errors = logs(r, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^test aborted: k6 scenario "default" runs the shared-iterations executor with 3 iterations: a wsbench bundle runs one connection's life per VU over stages; use --stage, or --vus with --duration, or the bundle's own options/);
    expect(total(r, 'ws_connect_attempts')).toBe(0);
  });
});
