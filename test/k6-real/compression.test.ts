import { startDeflateServer } from '../deflate-server';
import { writeScenario } from '../helpers';
import { BINARIES, buildBundle, describeK6, K6Binary, logs, runK6, total } from './k6-run';

/**
 * `options.compression` on real k6: the bundle opens its sockets with `compression: 'deflate'`
 * (lib/k6/socket.ts), and the server (test/deflate-server.ts, a real `ws` server) sees
 * permessage-deflate negotiated on every connection and inflates every byte that was sent.
 * Skips cleanly without a k6 binary (WSBENCH_K6).
 */
const VUS = 3;
const MESSAGES = 10;
const file = writeScenario(`import { hold, ramp } from 'wsbench';
export const options = { stages: [ramp('0s', ${VUS}), hold('2s')], compression: true };
export default function (vu) {
  const s = vu.connect();
  s.addEventListener('open', () => {
    for (let i = 0; i < ${MESSAGES}; i++) s.send(JSON.stringify({ type: 'note', seq: i, text: 'hello world '.repeat(100) }));
  });
}
`, 'compression.ts');
const MESSAGE_BYTES = JSON.stringify({ type: 'note', seq: 0, text: 'hello world '.repeat(100) }).length;
const bundles: Record<string, Promise<string>> = {};
const bundleFor = (legacy: boolean): Promise<string> => (bundles[String(legacy)] ??= buildBundle(file, legacy));
const each = BINARIES.map((b) => [b.version, b] as [string, K6Binary]);

describeK6('compression on real k6', () => {
  test.each(each)('k6 %s: permessage-deflate negotiated on every connection, every payload byte inflated by the server', async (_v, bin) => {
    const server = await startDeflateServer(true);
    try {
      const r = await runK6(bin, await bundleFor(bin.legacy), [], { TARGET: server.url });
      expect(logs(r, 'error')).toEqual([]);
      expect(r.code).toBe(0);
      await server.closed(VUS);
      const c = server.counts();
      expect(c.extensions).toEqual(Array(VUS).fill('permessage-deflate'));
      expect(c.payloadIn).toBe(VUS * MESSAGES * MESSAGE_BYTES);
      expect(total(r, 'ws_sessions')).toBe(VUS);
      expect(c.payloadOut).toBe(c.payloadIn); // every message echoed, and the VUs stayed to the end
      // k6 counts no frame bytes of its own: compressed, what the server read is far less than it inflated
      expect(c.wireIn).toBeLessThan(c.payloadIn / 4);
      console.log(`k6 ${bin.version} compression: server negotiated ${c.extensions.join(',')}; read ${c.wireIn} wire bytes for ${c.payloadIn} payload bytes, wrote ${c.wireOut} for ${c.payloadOut}`);
    } finally {
      await server.close();
    }
  }, 120_000);
});
