import { startImServer, ImServer } from '../../server/server';
import { writeScenario } from '../helpers';
import { BINARIES, buildBundle, describeK6, K6Binary, runK6, samples, total } from './k6-run';

/**
 * Arrive stages on real k6 (docs/arrivals.md, "On k6"): a constant-arrival-rate scenario starts the
 * planned arrivals, each iteration one VU's life that departs at its fixed lifetime with 1000; the
 * embedded server counts them, and k6 drops none (its VUs are sized from rate × lifetime).
 */
const SCENARIO = writeScenario(`import { arrive, hold, keepAlive, ScenarioOptions, VuContext } from 'wsbench';
export const options: ScenarioOptions = { stages: [arrive('6s', 10, { lifetime: '1s', spacing: 'even' }), hold('2s')], pingInterval: '1h' };
export default function (vu: VuContext): void {
  keepAlive(vu);
}
`, 'arrivals.ts');
const bundles: Record<string, Promise<string>> = {};
const bundleFor = (legacy: boolean): Promise<string> => (bundles[String(legacy)] ??= buildBundle(SCENARIO, legacy));
const each = BINARIES.map((b) => [b.version, b] as [string, K6Binary]);

describeK6('arrivals and lifetimes on real k6', () => {
  let im: ImServer;
  beforeEach(async () => {
    im = await startImServer({ port: 0 });
  });
  afterEach(async () => {
    await im.close();
  });

  test.each(each)('k6 %s: 60 planned arrivals accepted and closed by the server, each departing after 1 s, none dropped', async (_v, bin) => {
    const r = await runK6(bin, await bundleFor(bin.legacy), [], { TARGET: im.url, PING_INTERVAL: '1h' });
    expect(r.code).toBe(0);
    expect([im.stats().accepted, im.stats().closed]).toEqual([60, 60]);
    expect([total(r, 'vus_arrived'), total(r, 'vus_departed'), total(r, 'dropped_iterations')]).toEqual([60, 60, 0]);
    const lifetimes = samples(r, 'session_lifetime').map((p) => p.value);
    expect(lifetimes).toHaveLength(60);
    // k6's timers fire at or after their time, on a whole-ms clock
    for (const l of lifetimes) expect(l).toBeGreaterThanOrEqual(999);
    expect(lifetimes.sort((a, b) => a - b)[30]).toBeLessThan(1100);
  }, 90_000);
});
