import { Meter } from '../lib/node/meter';
import { Registry } from '../lib/metrics/registry';

/**
 * The Node engine's meter (lib/node/meter.ts) sums counters in cells and records trends straight
 * into their histogram: what the worker sends each second must be exactly what adding each value
 * to a registry gives, second after second (the worker reads `second`, then resets it).
 */
describe('Meter: counter cells and trend handles', () => {
  test('each second holds exactly the values of a registry fed one by one, through VU handles and Recorder calls alike', () => {
    const meter = new Meter();
    const sent = meter.counter('im_sent');
    const span = meter.counter('im_send_span_ms');
    const rtt = meter.trendOf('im_ack_rtt');
    expect(meter.counter('im_sent')).toBe(sent); // one shared recorder per name
    expect(meter.trendOf('im_ack_rtt')).toBe(rtt);
    for (let sec = 0; sec < 3; sec++) {
      const ref = new Registry();
      for (let i = 0; i < 50 + sec; i++) {
        sent.add();
        ref.add('im_sent', 1);
        const ms = 0.1 * i + sec / 3; // fractions: the same sums in the same order
        span.add(ms);
        ref.add('im_send_span_ms', ms);
        rtt.add(ms);
        ref.trend('im_ack_rtt', ms);
        meter.add('ws_msgs_sent'); // the core's path (Recorder.add) into the same cells
        ref.add('ws_msgs_sent', 1);
      }
      if (sec === 1) {
        meter.add('im_dropped', 0); // an add of 0 still names the counter, as in a registry
        ref.add('im_dropped', 0);
      }
      meter.rate('checks', sec !== 2);
      ref.rate('checks', sec !== 2);
      expect(meter.second.snapshot()).toEqual(ref.snapshot());
      expect(meter.second.snapshot()).toEqual(ref.snapshot()); // read twice: folded once
      meter.second.reset();
    }
    // a second with nothing recorded: no counter, the kept histogram empty, as a reset registry gives
    const quiet = meter.second.snapshot();
    expect(quiet.counters).toEqual({});
    expect(meter.second.stats('im_ack_rtt').count).toBe(0);
    rtt.add(5); // the handle still records into the registry's histogram after the resets
    const one = new Registry();
    one.trend('im_ack_rtt', 5);
    expect(meter.second.stats('im_ack_rtt')).toEqual(one.stats('im_ack_rtt'));
    expect(meter.second.stats('im_ack_rtt').count).toBe(1);
  });
});
