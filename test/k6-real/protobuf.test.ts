import path from 'node:path';
import { ROOT, serveCli, scenarioWith } from '../helpers';
import { BINARIES, buildBundle, describeK6, K6Binary, runK6, total } from './k6-run';

/**
 * Issue 23's binary frames on real k6: scenarios/protobuf.ts's k6 bundle sends ImMessages through the
 * embedded server's echo (`runner serve`) and every copy decodes to the fields it was sent with.
 * 10 VUs, 1 s ramp, 3 s hold at 2/s: 0.75 s warmup and drain leave 1.5 s, 3 messages each, 30 in all.
 */
const VUS = 10;
const SENT = VUS * 3;

function variant(): string {
  return scenarioWith(path.join(ROOT, 'scenarios', 'protobuf.ts'), `stages: [ramp('1s', ${VUS}), hold('3s')], extra: { ...base.extra, msgRate: 2 }`, 'protobuf10.ts');
}

describeK6('scenarios/protobuf.ts on real k6: binary frames through the echo', () => {
  test.each(BINARIES.map((b) => [b.version, b] as [string, K6Binary]))('k6 %s: every ImMessage comes back with every field equal; the server saw each', async (_v, bin) => {
    const server = await serveCli();
    try {
      const r = await runK6(bin, await buildBundle(variant(), bin.legacy), [], { TARGET: server.url });
      expect(r.stderr).not.toMatch(/GoError|TypeError|ReferenceError/);
      expect(total(r, 'im_sent')).toBe(SENT);
      expect(total(r, 'im_delivered')).toBe(SENT);
      expect(total(r, 'pb_mismatch')).toBe(0);
      expect(total(r, 'vus_failed')).toBe(0);
      expect((await server.stats()).framesIn).toBe(SENT);
    } finally {
      await server.stop();
    }
  });
});
