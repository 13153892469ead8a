import { writeScenario } from '../helpers';
import { CO_SCENARIO, RATE, STALL_MS, VUS } from '../servers/co-scenario';
import { startStallingAckServer } from '../servers/stalling-ack-server';
import { BINARIES, buildBundle, describeK6, K6Binary, runK6, samples, total } from './k6-run';

/**
 * Latency from the plan on real k6: the scenario of test/co-latency.test.ts, bundled, against the same
 * server that holds every ack 2 s mid-run. k6 records im_ack_rtt_from_plan from the same code: its P99
 * shows the stall, im_ack_rtt's hides it, and both have one sample per ack the server sent.
 */
const each = BINARIES.map((b) => [b.version, b] as [string, K6Binary]);
const SCENARIO = writeScenario(CO_SCENARIO, 'co.js');
const bundles: Record<string, Promise<string>> = {};
const bundleFor = (legacy: boolean): Promise<string> => (bundles[String(legacy)] ??= buildBundle(SCENARIO, legacy));

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.99) - 1] as number;
}

describeK6('latency from the plan on real k6', () => {
  test.each(each)('k6 %s: a 2 s ack stall shows in im_ack_rtt_from_plan, not in im_ack_rtt', async (_v, bin) => {
    const server = await startStallingAckServer({ afterSends: VUS * RATE, stallMs: STALL_MS });
    try {
      const r = await runK6(bin, await bundleFor(bin.legacy), [], { TARGET: server.url });
      const actual = samples(r, 'im_ack_rtt').map((p) => p.value);
      const planned = samples(r, 'im_ack_rtt_from_plan').map((p) => p.value);
      console.log(`k6 ${bin.version}: server ${server.counts.sends} sends, ${server.counts.acked} acked, ${server.counts.heldDuringStall} held; ` +
        `im_ack_rtt p99 ${p99(actual).toFixed(1)} max ${Math.max(...actual).toFixed(1)}; im_ack_rtt_from_plan p99 ${p99(planned).toFixed(1)}`);
      expect(server.counts.heldDuringStall).toBe(VUS);
      expect(actual.length).toBe(server.counts.acked);
      expect(planned.length).toBe(actual.length);
      expect(total(r, 'im_ack_timeouts')).toBe(0);
      expect(Math.max(...actual)).toBeGreaterThanOrEqual(STALL_MS * 0.9);
      expect(p99(actual)).toBeLessThan(STALL_MS / 4);
      expect(p99(planned)).toBeGreaterThanOrEqual(STALL_MS * 0.9);
    } finally {
      await server.close();
    }
  });
});
