import type { BytesSummary, SlowReadersSummary } from '../flow-summary';
import { hasSamples } from '../stats';

const LABELS = {
  en: { compressed: 'Compressed', of: 'of', connections: 'connections (permessage-deflate taken)', bytes: 'Bytes', sent: 'Sent', received: 'Received', wire: 'wire', payload: 'payload', slow: 'Slow readers', conns: 'Connections', delivery: 'Their delivery latency (ms)' },
  zh: { compressed: '压缩', of: '/', connections: '个连接 (permessage-deflate)', bytes: '字节', sent: '发送', received: '接收', wire: '线上', payload: '载荷', slow: '慢读者', conns: '连接数', delivery: '其投递延迟 (ms)' },
} as const;

const row = (label: string, value: string | number): string => `${`${label}:`.padEnd(15)} ${value}`;
const ms = (v: number): string => v.toFixed(2);

function direction(wire: number | null, payload: number | null, ratio: number | null, L: (typeof LABELS)['en' | 'zh']): string {
  return `${wire} ${L.wire} / ${payload} ${L.payload}${ratio === null ? '' : ` (×${ratio.toFixed(3)})`}`;
}

/**
 * The bytes section of the text summary (docs/transport.md, "Bytes on the wire"): shown when data
 * frames carried payload (not for connect-only runs, nor on k6, where the figures are null). Pure.
 */
export function bytesLines(b: BytesSummary, lang: 'en' | 'zh', opened = 0): string[] {
  if (b.ratioSent === null && b.ratioReceived === null) return [];
  const L = LABELS[lang];
  const out = ['', `--- ${L.bytes} ---`, row(L.sent, direction(b.wireSent, b.payloadSent, b.ratioSent, L)), row(L.received, direction(b.wireReceived, b.payloadReceived, b.ratioReceived, L))];
  if (b.compressedConnections !== null) out.push(row(L.compressed, `${b.compressedConnections} ${L.of} ${opened} ${L.connections}`));
  return out;
}

/** The slow readers' section (docs/slow-readers.md): shown when the run had any. Pure. */
export function slowReaderLines(r: SlowReadersSummary, lang: 'en' | 'zh'): string[] {
  if (r.connections === null) return [];
  const L = LABELS[lang];
  const out = ['', `--- ${L.slow} ---`, row(L.conns, r.connections)];
  const d = r.latencyMs;
  if (hasSamples(d)) out.push(`${L.delivery}:`, `  P50 ${ms(d.p50)}   P90 ${ms(d.p90)}   P99 ${ms(d.p99)}   Max ${ms(d.max)}`);
  return out;
}

/** The HTML report's bytes card rows (lib/results/report/html.ts): the text's figures; none when the text shows none. */
export function bytesRows(b: BytesSummary, opened = 0): Array<[string, string]> {
  if (b.ratioSent === null && b.ratioReceived === null) return [];
  const L = LABELS.en;
  const rows: Array<[string, string]> = [
    ['sent', direction(b.wireSent, b.payloadSent, b.ratioSent, L)], ['received', direction(b.wireReceived, b.payloadReceived, b.ratioReceived, L)],
  ];
  if (b.compressedConnections !== null) rows.push(['compressed', `${b.compressedConnections} of ${opened} connections`]);
  return rows;
}

/** The HTML report's slow-readers card rows: none when the run had none. */
export function slowReaderRows(r: SlowReadersSummary): Array<[string, string | number]> {
  if (r.connections === null) return [];
  const d = r.latencyMs;
  return [['connections', r.connections], ['delivery p50 / p99 (ms)', hasSamples(d) ? `${ms(d.p50)} / ${ms(d.p99)}` : 'no data']];
}
