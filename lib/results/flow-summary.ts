import { M } from '../core/metric-names';
import type { MetricsSnapshot } from '../metrics/registry';
import { Stats, summaryStats } from './stats';

/**
 * The summary's `bytes` block (docs/transport.md, "Compression"): data-frame payloads against the
 * bytes on the wire after the upgrade, per direction, and their ratio. Node only (lib/node/wire-book.ts):
 * every figure is null when no connection recorded it (a k6 run, or no connection opened).
 */
export interface BytesSummary {
  payloadSent: number | null;
  payloadReceived: number | null;
  wireSent: number | null;
  wireReceived: number | null;
  /** wireSent / payloadSent: below 1 when compression saved bytes; null with no payload to divide by. */
  ratioSent: number | null;
  ratioReceived: number | null;
  /** With `compression`: connections whose server took permessage-deflate; null when it was not offered (or on k6). */
  compressedConnections: number | null;
}

/** The summary's `slowReaders` block (docs/slow-readers.md): the slow and stalled readers' own delivery latency. */
export interface SlowReadersSummary {
  /** Connections of slow or stalled readers that opened; null when the run had none planned or none opened. */
  connections: number | null;
  /** Their delivery latency (everyone else's is `messages.latencyMs`). */
  latencyMs: Stats;
}

const count = (t: MetricsSnapshot, name: string): number | null => (name in t.counters ? (t.counters[name] as number) : null);

function ratio(wire: number | null, payload: number | null): number | null {
  return wire === null || payload === null || payload === 0 ? null : Math.round((wire / payload) * 10_000) / 10_000;
}

export function bytesSummary(t: MetricsSnapshot): BytesSummary {
  const payloadSent = count(t, M.payloadSent);
  const payloadReceived = count(t, M.payloadReceived);
  const wireSent = count(t, M.wireSent);
  const wireReceived = count(t, M.wireReceived);
  return {
    payloadSent, payloadReceived, wireSent, wireReceived,
    ratioSent: ratio(wireSent, payloadSent), ratioReceived: ratio(wireReceived, payloadReceived), compressedConnections: count(t, M.deflateConns),
  };
}

export function slowReadersSummary(t: MetricsSnapshot): SlowReadersSummary {
  return { connections: count(t, M.slowReaderConns), latencyMs: summaryStats(t, M.msgLatencySlow) };
}
