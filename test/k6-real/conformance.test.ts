import { startFaultServer } from '../fault-server';
import { writeScenario } from '../helpers';
import { BINARIES, buildBundle, describeK6, K6Binary, logs, olderThan, runK6, total } from './k6-run';

/**
 * The bundles on real k6 (issue 22): the build each release loads (docs/k6.md, "Which build for
 * which k6") runs a small connect-only load whose counts equal the server's own; the default build
 * is refused by k6 < 1.6 with k6's own error.
 */

const CONNECT = `import { hold, keepAlive, ramp, ScenarioOptions, VuContext } from 'wsbench';
export const options: ScenarioOptions = { stages: [ramp('1s', 20), hold('2s')], pingInterval: '1s', pongTimeout: '500ms' };
export default function (vu: VuContext): void {
  keepAlive(vu);
}
`;

const scenario = writeScenario(CONNECT, 'conformance.ts');
const bundles: Record<string, Promise<string>> = {};
const bundleFor = (legacy: boolean): Promise<string> => (bundles[String(legacy)] ??= buildBundle(scenario, legacy));

describeK6('the bundles on real k6', () => {
  test.each(BINARIES.map((b) => [b.version, b] as [string, K6Binary]))('k6 %s: its build runs 20 VUs, one session each; pings and pongs are the server\'s own', async (_v, bin) => {
    const server = await startFaultServer({});
    try {
      const r = await runK6(bin, await bundleFor(bin.legacy), [], { TARGET: server.url });
      expect(logs(r, 'error')).toEqual([]);
      expect(r.code).toBe(0);
      expect(server.counts.accepted).toBe(20);
      expect(total(r, 'ws_connect_attempts')).toBe(20);
      expect(total(r, 'ws_sessions')).toBe(20);
      expect(total(r, 'ws_pings_sent')).toBe(server.counts.pings);
      expect(total(r, 'ws_pongs_received')).toBe(server.counts.pongs);
      expect(server.counts.pings).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  const old = BINARIES.filter((b) => b.legacy);
  const refusal: Array<[string, K6Binary]> = old.map((b) => [b.version, b]);
  (refusal.length > 0 ? test.each(refusal) : test.skip.each([['none', BINARIES[0] as K6Binary]]))(
    'k6 %s refuses the default build before running anything, with its own error',
    async (_v, bin) => {
      const r = await runK6(bin, await bundleFor(false), [], { TARGET: 'ws://127.0.0.1:9/ws' });
      expect(r.code).not.toBe(0);
      expect(r.points).toEqual([]);
      // k6's own words: from v1.4, with automatic extension resolution, a list of modules
      const said = !olderThan(bin, 1, 4) ? 'unknown modules ["k6/websockets"] were tried to be loaded, but couldn\'t' : 'unknown module: k6/websockets';
      expect(logs(r, 'error').join('\n')).toContain(said);
    },
  );
});
