import os from 'node:os';
import { freePort } from '../servers/processes';
import { writeScenario } from '../helpers';
import { hasTinyproxy, startLanWsServer, startTinyproxy, Tinyproxy } from '../servers/tinyproxy';
import { BINARIES, buildBundle, byTag, describeK6, K6Binary, runK6, total } from './k6-run';

/**
 * Proxies on real k6 (docs/k6.md, "Client certificates and proxies"): k6/websockets dials through
 * Go's `http.ProxyFromEnvironment`, so HTTP_PROXY in k6's environment takes a ws:// target through
 * tinyproxy (its log counts every VU); a refused proxy is `ECONNREFUSED` there (not `proxy ECONNREFUSED`).
 */
const each = BINARIES.map((b) => [b.version, b] as [string, K6Binary]);
const lanAddress = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
const d = hasTinyproxy() && lanAddress ? describeK6 : describe.skip;
const N = 10;
const SCENARIO = writeScenario(`import { hold, keepAlive, ramp, ScenarioOptions, VuContext } from 'wsbench';
export const options: ScenarioOptions = { stages: [ramp('500ms', ${N}), hold('1500ms')], pingInterval: '500ms' };
export default function (vu: VuContext): void {
  keepAlive(vu);
}
`, 'proxied.ts');
const bundles: Record<string, Promise<string>> = {};
const bundleFor = (legacy: boolean): Promise<string> => (bundles[String(legacy)] ??= buildBundle(SCENARIO, legacy));

let proxy: Tinyproxy;
beforeAll(async () => {
  if (hasTinyproxy() && lanAddress && BINARIES.length > 0) proxy = await startTinyproxy();
});
afterAll(async () => {
  await proxy?.stop();
});

d('HTTP_PROXY on real k6', () => {
  test.each(each)('k6 %s: every VU through tinyproxy, as its log counts', async (_v, bin) => {
    const lan = await startLanWsServer(lanAddress as string);
    const before = proxy.connects(lan.authority);
    process.env.HTTP_PROXY = proxy.url;
    try {
      const r = await runK6(bin, await bundleFor(bin.legacy), [], { TARGET: lan.url });
      expect(total(r, 'ws_connect_attempts')).toBe(N);
      expect(byTag(r, 'ws_connect_errors', 'error')).toEqual({});
      expect(proxy.connects(lan.authority) - before).toBe(N);
      expect(lan.accepted()).toBe(N);
    } finally {
      delete process.env.HTTP_PROXY;
      await lan.close();
    }
  });

  test.each(each)('k6 %s: a refused proxy fails every attempt under one class, ECONNREFUSED', async (_v, bin) => {
    const lan = await startLanWsServer(lanAddress as string);
    process.env.HTTP_PROXY = `http://127.0.0.1:${await freePort()}`;
    try {
      const r = await runK6(bin, await bundleFor(bin.legacy), [], { TARGET: lan.url });
      const classes = byTag(r, 'ws_connect_errors', 'error');
      // k6 names the dial's errno: a refused proxy cannot be told from a refused target there
      expect(classes).toEqual({ ECONNREFUSED: N });
      expect(lan.accepted()).toBe(0);
    } finally {
      delete process.env.HTTP_PROXY;
      await lan.close();
    }
  });
});
