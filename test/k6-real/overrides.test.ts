import path from 'node:path';
import { ROOT, serveCli } from '../helpers';
import { BINARIES, buildBundle, describeK6, K6Binary, n, runK6, total } from './k6-run';

/**
 * Issue 22 point 2 on real k6: k6's own overrides reach the VU's plan. The stock messaging bundle
 * (`runner build scenarios/messaging.ts --target k6`, what `make build` writes to
 * dist/k6/messaging.js) under `--stage` and `--vus`/`--duration` sends its messages inside the
 * peak window of what k6 runs (lib/helpers/send-plan.ts), and every one is sent, acked and
 * delivered, equal to the embedded server's own counts (`runner serve`, GET /stats).
 */

const bundles: Record<string, Promise<string>> = {};
const bundleFor = (legacy: boolean): Promise<string> => (bundles[String(legacy)] ??= buildBundle(path.join(ROOT, 'scenarios', 'messaging.ts'), legacy));

/**
 * The overrides and their known answers at the scenario's 1 message a second: `--stage 2s:20
 * --stage 4s:20` peaks from 2 s to 6 s (k6 starts at 1 VU), 1 s warmup and 1 s drain leave a 2 s
 * window: 2 messages each; `--vus 20 --duration 6s` peaks from 0 to 6 s, 1 s warmup and 1.5 s
 * drain leave 3.5 s: 3 each.
 */
const OVERRIDES: Array<[string, string[], number]> = [
  ['--stage 2s:20 --stage 4s:20', ['--stage', '2s:20', '--stage', '4s:20'], 2],
  ['--vus 20 --duration 6s', ['--vus', '20', '--duration', '6s'], 3],
];

const cases = BINARIES.flatMap((b) => OVERRIDES.map(([flags, args, each]) => [b.version, flags, b, args, each] as [string, string, K6Binary, string[], number]));

describeK6("k6's own overrides on the stock messaging bundle", () => {
  test.each(cases)('k6 %s %s: every VU sends its messages; sent = acked = delivered = the server\'s own counts', async (_v, _flags, bin, args, each) => {
    const server = await serveCli();
    try {
      const r = await runK6(bin, await bundleFor(bin.legacy), args, { TARGET: server.url });
      const stats = await server.stats();
      expect(stats.accepted).toBe(20);
      expect(total(r, 'ws_connect_attempts')).toBe(20);
      expect(total(r, 'im_sent')).toBe(20 * each);
      expect(stats.framesIn).toBe(20 * each);
      expect(stats.acked).toBe(20 * each);
      expect(n(r, 'im_ack_rtt')).toBe(20 * each);
      expect(stats.delivered).toBe(20 * each);
      expect(total(r, 'im_delivered')).toBe(20 * each);
      expect(total(r, 'im_expected')).toBe(20 * each);
      expect(total(r, 'vus_failed')).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
