import type { MessagesSummary } from '../message-summary';
import { hasSamples } from '../stats';

const LABELS = {
  en: {
    title: 'Messages', sent: 'Sent', acked: 'Acked', timeouts: 'timeouts', delivered: 'Delivered', expected: 'expected',
    lost: 'Lost', duplicated: 'Duplicated', outOfOrder: 'Out of order', throughput: 'Throughput', sentPerSec: 'sent/s',
    deliveredPerSec: 'delivered/s', ackRtt: 'Ack RTT (ms)', delivery: 'Delivery latency (ms)', stale: 'beyond the window',
    fromPlan: 'from the plan',
  },
  zh: {
    title: '消息统计', sent: '发送消息数', acked: '已确认', timeouts: '超时', delivered: '已投递', expected: '应投递',
    lost: '丢失', duplicated: '重复', outOfOrder: '乱序', throughput: '吞吐量', sentPerSec: '发送/秒',
    deliveredPerSec: '投递/秒', ackRtt: '确认往返 (ms)', delivery: '投递延迟 (ms)', stale: '超出窗口',
    fromPlan: '按计划时间',
  },
} as const;

const row = (label: string, value: string | number): string => `${`${label}:`.padEnd(15)} ${value}`;
const ms = (v: number): string => v.toFixed(2);
const perSec = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(1));

/** The messages section of the text summary; empty when the run carried no messages (connect-only). Pure. */
export function messageLines(m: MessagesSummary, lang: 'en' | 'zh'): string[] {
  if (m.sent === 0 && m.received === 0 && m.expected === 0) return [];
  const L = LABELS[lang];
  const out = ['', `--- ${L.title} ---`];
  out.push(row(L.sent, m.sent));
  out.push(row(L.acked, `${m.acked}${m.ackTimeouts > 0 ? `   (${L.timeouts} ${m.ackTimeouts})` : ''}`));
  out.push(row(L.delivered, `${m.delivered} / ${m.expected} ${L.expected}`));
  out.push(row(L.lost, `${m.lost} (${((m.lossRate ?? 0) * 100).toFixed(2)}%)`));
  out.push(row(L.duplicated, m.duplicated));
  out.push(row(L.outOfOrder, `${m.outOfOrder}${m.stale > 0 ? `   (${m.stale} ${L.stale})` : ''}`));
  out.push(row(L.throughput, `${perSec(m.throughput.sentPerSec)} ${L.sentPerSec}, ${perSec(m.throughput.deliveredPerSec)} ${L.deliveredPerSec}`));
  if (hasSamples(m.ackRttMs)) out.push(row(`${L.ackRtt} P50/P99`, `${ms(m.ackRttMs.p50)} / ${ms(m.ackRttMs.p99)}`));
  const ap = m.ackRttFromPlanMs;
  if (ap && hasSamples(ap)) out.push(`  ${L.fromPlan}: P50 ${ms(ap.p50)}   P99 ${ms(ap.p99)}   Max ${ms(ap.max)}`);
  const d = m.latencyMs;
  if (hasSamples(d)) {
    out.push(`${L.delivery}:`);
    out.push(`  P50 ${ms(d.p50)}   P90 ${ms(d.p90)}   P95 ${ms(d.p95)}   P99 ${ms(d.p99)}   Max ${ms(d.max)}   Avg ${ms(d.avg)}`);
  }
  const dp = m.latencyFromPlanMs;
  if (dp && hasSamples(dp)) out.push(`  ${L.fromPlan}: P50 ${ms(dp.p50)}   P99 ${ms(dp.p99)}   Max ${ms(dp.max)}`);
  return out;
}
