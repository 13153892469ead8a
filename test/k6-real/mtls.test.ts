import fs from 'node:fs';
import { startFaultServer, FaultServer } from '../fault-server';
import { writeScenario } from '../helpers';
import { hasNginx, makePki, Nginx, Pki, startNginxMtls } from '../servers/nginx-mtls';
import { logLines } from '../servers/processes';
import { BINARIES, buildBundle, byTag, describeK6, K6Binary, runK6, total } from './k6-run';

/**
 * mTLS on real k6 (lib/k6/tls-auth.ts): the bundle's `-e TLS_CERT=… -e TLS_KEY=…` become k6's
 * `tlsAuth`, and every VU gets through nginx's `ssl_verify_client on` (its access log counts them);
 * without them nginx answers each upgrade 400. k6 trusts the test CA through SSL_CERT_FILE (Go reads it).
 */
const each = BINARIES.map((b) => [b.version, b] as [string, K6Binary]);
const d = hasNginx() ? describeK6 : describe.skip;
const N = 10;
const SCENARIO = writeScenario(`import { hold, keepAlive, ramp, ScenarioOptions, VuContext } from 'wsbench';
export const options: ScenarioOptions = { stages: [ramp('500ms', ${N}), hold('1500ms')], pingInterval: '500ms' };
export default function (vu: VuContext): void {
  keepAlive(vu);
}
`, 'mtls.ts');

let pki: Pki;
let upstream: FaultServer;
let nginx: Nginx;
const bundles: Record<string, Promise<string>> = {};
const bundleFor = (legacy: boolean): Promise<string> => (bundles[String(legacy)] ??= buildBundle(SCENARIO, legacy));

beforeAll(async () => {
  if (!hasNginx() || BINARIES.length === 0) return;
  pki = makePki();
  upstream = await startFaultServer({});
  nginx = await startNginxMtls(pki, upstream.port);
});
afterAll(async () => {
  await nginx?.stop();
  await upstream?.close();
});

const logged = (): number => (fs.existsSync(nginx.accessLog) ? fs.readFileSync(nginx.accessLog, 'utf8').split('\n').filter((l) => /^\d{3} /.test(l)).length : 0);

d('tlsAuth on real k6, through nginx with ssl_verify_client on', () => {
  test.each(each)('k6 %s: with TLS_CERT/TLS_KEY all connect, as nginx logs; without, nginx answers 400', async (_v, bin) => {
    const script = await bundleFor(bin.legacy);
    const env = { TARGET: nginx.url };
    const before = logged();
    process.env.SSL_CERT_FILE = pki.ca;
    try {
      const r = await runK6(bin, script, [], { ...env, TLS_CERT: pki.clientCert, TLS_KEY: pki.clientKey });
      expect(total(r, 'ws_connect_attempts')).toBe(N);
      expect(byTag(r, 'ws_connect_errors', 'error')).toEqual({});
      const lines = (await logLines(nginx.accessLog, /^\d{3} /, before + N)).slice(before);
      expect(lines).toEqual(Array(N).fill('101 SUCCESS CN=client'));
      expect(r.stdout + r.stderr).not.toContain(fs.readFileSync(pki.clientKey, 'utf8').split('\n')[1]);
      const without = await runK6(bin, script, [], env);
      expect(total(without, 'ws_connect_errors')).toBe(N);
      const after = (await logLines(nginx.accessLog, /^\d{3} /, before + 2 * N)).slice(before + N);
      expect(after).toHaveLength(N);
      for (const l of after) expect(l).toMatch(/^400 NONE/);
    } finally {
      delete process.env.SSL_CERT_FILE;
    }
  });
});
