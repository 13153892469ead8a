import { byCount, hintFor } from '../../core/errors';
import { hasSamples, Stats } from '../stats';
import type { Summary } from '../summary';
import { gradeLabel, healthOf } from './health';
import { messageLines } from './messages';
import { bytesLines, slowReaderLines } from './flow-lines';
import { arrivalLines } from './arrivals';
import { waveLines } from './waves';

export type Lang = 'en' | 'zh';

export const LABELS = {
  en: {
    title: ' Results ', conns: 'Connections', attempted: 'Attempted', succeeded: 'Succeeded', failed: 'Failed',
    successRate: 'Success rate', disconnected: 'Disconnected', final: 'Open at end', peak: 'Peak open',
    latency: 'Connect latency (ms)', heartbeat: 'Heartbeat', pings: 'Pings sent', pongs: 'Pongs received',
    pongRate: 'Pong rate', rtt: 'Ping RTT (ms)', duration: 'Run time', seconds: 's', closing: 'then closing connections:', errors: 'Failures by class',
    disconnects: 'Disconnects by class', messages: 'Messages', interrupted: 'INTERRUPTED: partial results',
    runner: 'Runner', warnings: 'Warnings', aborted: 'Aborted (run cut short)',
    abortedBy: (t: string, sec: number) => `ABORTED by threshold "${t}" at second ${sec}: partial results`, thresholds: 'Thresholds',
  },
  zh: {
    title: ' 压测结果 ', conns: '连接统计', attempted: '尝试连接数', succeeded: '成功连接数', failed: '失败连接数',
    successRate: '连接成功率', disconnected: '断开连接数', final: '最终连接数', peak: '峰值连接数',
    latency: '连接延迟 (ms)', heartbeat: '心跳统计', pings: '发送 Ping 数', pongs: '接收 Pong 数',
    pongRate: 'Pong 响应率', rtt: '心跳往返 (ms)', duration: '运行时间', seconds: '秒', closing: '之后关闭连接用时', errors: '失败原因',
    disconnects: '断开原因', messages: '消息统计', interrupted: '已中断：部分结果',
    runner: '压测客户端', warnings: '警告', aborted: '中止的连接',
    abortedBy: (t: string, sec: number) => `阈值 "${t}" 于第 ${sec} 秒触发中止：部分结果`, thresholds: '阈值',
  },
} as const;

const pct = (r: number): string => `${(r * 100).toFixed(2)}%`;
const ms = (v: number): string => v.toFixed(2);

function row(label: string, value: string | number, width = 16): string {
  return `${`${label}:`.padEnd(width)}${value}`;
}

/** `grades` are printed beside P50 and P99 (the seed grades connect latency only). */
function latencyBlock(s: Stats, grades: { p50?: string; p99?: string } = {}, none = 'n/a (no connection succeeded)'): string[] {
  if (!hasSamples(s)) return [none];
  return [
    row('Min', ms(s.min), 8), row('Max', ms(s.max), 8), row('Avg', ms(s.avg), 8), row('P50', withGrade(ms(s.p50), grades.p50), 8),
    row('P90', ms(s.p90), 8), row('P95', ms(s.p95), 8), row('P99', withGrade(ms(s.p99), grades.p99), 8), row('StdDev', ms(s.stddev), 8),
  ];
}

const withGrade = (value: string, grade: string | undefined): string => (grade ? `${value.padEnd(8)}${grade}` : value);

/** A section of failure or disconnect classes, most frequent first, each with its hint; empty when none occurred. */
function classLines(title: string, counts: Record<string, number>): string[] {
  const entries = byCount(counts);
  if (entries.length === 0) return [];
  return ['', `--- ${title} ---`, ...entries.map(([k, n]) => {
    const hint = hintFor(k);
    return `${String(n).padStart(8)}  ${k}${hint ? `  → ${hint}` : ''}`;
  })];
}

/** The text summary, laid out as the seed tool's report. Returns the text; the caller prints it. */
export function formatSummary(s: Summary, lang: Lang = 'en', extra: (s: Summary, lang: Lang) => string[] = () => []): string {
  const L = LABELS[lang];
  const h = s.health ?? healthOf(s);
  const out: string[] = [];
  const bar = '='.repeat(20);
  out.push(`${bar}${L.title}${bar}`);
  if (s.abortedByThreshold) out.push(`*** ${L.abortedBy(s.abortedByThreshold.threshold, s.abortedByThreshold.atSec)} ***`);
  else if (s.interrupted) out.push(`*** ${L.interrupted} ***`);
  out.push(`scenario: ${s.scenario}   target: ${s.target}`, '');
  out.push(`--- ${L.conns} ---`);
  out.push(row(L.attempted, s.connections.attempted), row(L.succeeded, s.connections.succeeded), row(L.failed, s.connections.failed));
  out.push(row(L.successRate, s.connections.successRate === null ? 'n/a (nothing attempted)' : withGrade(pct(s.connections.successRate), gradeLabel(h.successRate, lang))));
  out.push(row(L.disconnected, s.connections.disconnected), row(L.final, s.connections.final), row(L.peak, s.connections.peak));
  if (s.connections.aborted > 0) out.push(row(L.aborted, s.connections.aborted));
  if (s.connections.reconnects > 0) out.push(row(lang === 'zh' ? '重连次数' : 'Reconnects', s.connections.reconnects));
  if (s.connections.sendBufferFull > 0) out.push(row(lang === 'zh' ? '发送缓冲满' : 'Send buffer full', `${s.connections.sendBufferFull} (server not reading)`));
  out.push(...classLines(L.errors, s.connections.errors), ...classLines(L.disconnects, s.connections.disconnectReasons));
  out.push(...waveLines(s.disconnectWaves, lang));
  out.push(...arrivalLines(s, lang));
  out.push('', `--- ${L.latency} ---`, ...latencyBlock(s.connectLatencyMs, { p50: gradeLabel(h.connectP50, lang), p99: gradeLabel(h.connectP99, lang) }));
  out.push('', `--- ${L.heartbeat} ---`);
  out.push(row(L.pings, s.heartbeat.pingsSent), row(L.pongs, s.heartbeat.pongsReceived), row(L.pongRate, s.heartbeat.pongRate === null ? 'n/a (no pings sent)' : withGrade(pct(s.heartbeat.pongRate), gradeLabel(h.pongRate, lang))));
  if (hasSamples(s.heartbeat.rttMs)) out.push(row(`${L.rtt} P50/P99`, `${ms(s.heartbeat.rttMs.p50)} / ${ms(s.heartbeat.rttMs.p99)}`, 24));
  out.push(...messageLines(s.messages, lang), ...slowReaderLines(s.slowReaders, lang), ...bytesLines(s.bytes, lang, s.connections.succeeded));
  out.push(...extra(s, lang));
  if (s.runner.warnings.length > 0) {
    out.push('', `--- ${L.warnings} ---`);
    for (const w of s.runner.warnings) out.push(`! ${w}`);
  }
  const closing = s.closeSec > 0 ? ` (${L.closing} ${s.closeSec.toFixed(2)} ${L.seconds})` : '';
  out.push('', `--- ${L.duration}: ${s.durationSec.toFixed(2)} ${L.seconds}${closing} ---`, '', '='.repeat(40 + L.title.length));
  return out.join('\n');
}
