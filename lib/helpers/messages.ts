import { M } from '../core/metric-names';
import { Arrival, SequenceWindow } from './sequence';
import type { Counter, Trend, VuContext } from '../scenario/types';

/** Settings of a `MessageMeter`. */
export interface MessageMeterOptions {
  /** Bits of sequence history per sender→receiver pair (see `SequenceWindow`). Default 256. */
  window?: number;
}

/** Spans shorter than this stay in the process until `flush()`: one counter update a second, not one a message. */
const SPAN_FLUSH_MS = 1000;

/** Sum of the gaps between consecutive events, and whether any event was seen. */
class Span {
  private last: number | undefined;
  private unflushed = 0;

  constructor(private readonly spans: Counter, private readonly actors: Counter) {}

  mark(now: number): void {
    if (this.last === undefined) this.actors.add(1);
    else this.unflushed += now - this.last;
    this.last = now;
    if (this.unflushed >= SPAN_FLUSH_MS) this.flush();
  }

  flush(): void {
    if (this.unflushed > 0) this.spans.add(this.unflushed);
    this.unflushed = 0;
  }
}

/**
 * Message-level measurements of one connection, for any IM protocol: the scenario says when a
 * message leaves (`sent`) and when one arrives (`delivered`, with its sender→receiver pair and
 * sequence number); the meter records what the summary's `messages` block reports.
 *
 * Everything is a counter or a trend that merges by summing across worker processes and
 * generators, so loss is exact however VUs are spread: each sender counts the deliveries it
 * expects, each receiver counts unique deliveries, and lost = expected − delivered once the run
 * has drained. Use one meter per receiving connection (the duplicate window is per connection).
 *
 * Recorded: `im_sent`, `im_expected`, `im_delivered` (unique), `im_duplicated`, `im_out_of_order`,
 * `im_stale`, `ws_msg_latency` (delivery latency from the sender's wall clock, ms) and
 * `ws_msg_latency_from_plan` (the same from the planned send time, for paced sends), and the send
 * and delivery spans that give throughput (`im_senders`, `im_send_span_ms`, `im_receivers`,
 * `im_deliver_span_ms`).
 */
export class MessageMeter {
  private readonly window: SequenceWindow;
  private readonly sentC: Counter;
  private readonly expectedC: Counter;
  private readonly deliveredC: Counter;
  private readonly duplicatedC: Counter;
  private readonly outOfOrderC: Counter;
  private readonly staleC: Counter;
  private readonly latency: Trend;
  private readonly latencyFromPlan: Trend;
  private readonly sendSpan: Span;
  private readonly deliverSpan: Span;

  constructor(private readonly vu: VuContext<object>, opts: MessageMeterOptions = {}) {
    this.window = new SequenceWindow(opts.window ?? 256);
    this.sentC = vu.counter(M.imSent);
    this.expectedC = vu.counter(M.imExpected);
    this.deliveredC = vu.counter(M.imDelivered);
    this.duplicatedC = vu.counter(M.imDuplicated);
    this.outOfOrderC = vu.counter(M.imOutOfOrder);
    this.staleC = vu.counter(M.imStale);
    this.latency = vu.trend(M.msgLatency);
    this.latencyFromPlan = vu.trend(M.msgLatencyFromPlan);
    this.sendSpan = new Span(vu.counter(M.imSendSpan), vu.counter(M.imSenders));
    this.deliverSpan = new Span(vu.counter(M.imDeliverSpan), vu.counter(M.imReceivers));
  }

  /** A message left; `receivers` deliveries are expected from it (1 to a peer, members − 1 to a room). */
  sent(receivers = 1): void {
    this.sentC.add(1);
    if (receivers > 0) this.expectedC.add(receivers);
    this.sendSpan.mark(this.vu.now());
  }

  /**
   * A message arrived: `pair` names its sender (and room), `seq` its place in the sender's order.
   * `sentAtWall`: the sender's `vu.wallNow()` at send, for the delivery latency (only the first
   * copy of a message is timed). `plannedAtWall`: when the sender planned to send it (`plannedWall`
   * of `pace`'s time), for `ws_msg_latency_from_plan`. Returns how it arrived.
   */
  delivered(pair: string, seq: number, sentAtWall?: number, plannedAtWall?: number): Arrival {
    const a = this.window.arrive(pair, seq);
    if (a === 'duplicate') {
      this.duplicatedC.add(1);
      return a;
    }
    // a stale arrival cannot be told from a duplicate; counting it delivered keeps loss from being overstated
    this.deliveredC.add(1);
    if (a === 'reordered') this.outOfOrderC.add(1);
    else if (a === 'stale') this.staleC.add(1);
    if (sentAtWall !== undefined || plannedAtWall !== undefined) {
      const now = this.vu.wallNow();
      if (sentAtWall !== undefined) this.latency.add(now - sentAtWall);
      if (plannedAtWall !== undefined) this.latencyFromPlan.add(now - plannedAtWall);
    }
    this.deliverSpan.mark(this.vu.now());
    return a;
  }

  /** Records the spans still held in this process; call when the connection closes. */
  flush(): void {
    this.sendSpan.flush();
    this.deliverSpan.flush();
  }
}
