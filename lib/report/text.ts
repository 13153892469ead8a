import { hintFor } from '../errors';
import type { LatencyStats } from '../metrics/histogram';
import type { Summary } from '../summary';

export type Lang = 'en' | 'zh';

const LABELS = {
  en: {
    title: ' Results ', conns: 'Connections', attempted: 'Attempted', succeeded: 'Succeeded', failed: 'Failed',
    successRate: 'Success rate', disconnected: 'Disconnected', final: 'Open at end', peak: 'Peak open',
    latency: 'Connect latency (ms)', heartbeat: 'Heartbeat', pings: 'Pings sent', pongs: 'Pongs received',
    pongRate: 'Pong rate', rtt: 'Ping RTT (ms)', duration: 'Run time', seconds: 's', errors: 'Failures by class',
    disconnects: 'Disconnects by class', messages: 'Messages', interrupted: 'INTERRUPTED: partial results',
    runner: 'Runner', warnings: 'Warnings', aborted: 'Aborted (run cut short)',
  },
  zh: {
    title: ' 压测结果 ', conns: '连接统计', attempted: '尝试连接数', succeeded: '成功连接数', failed: '失败连接数',
    successRate: '连接成功率', disconnected: '断开连接数', final: '最终连接数', peak: '峰值连接数',
    latency: '连接延迟 (ms)', heartbeat: '心跳统计', pings: '发送 Ping 数', pongs: '接收 Pong 数',
    pongRate: 'Pong 响应率', rtt: '心跳往返 (ms)', duration: '运行时间', seconds: '秒', errors: '失败原因',
    disconnects: '断开原因', messages: '消息统计', interrupted: '已中断：部分结果',
    runner: '压测客户端', warnings: '警告', aborted: '中止的连接',
  },
} as const;

const pct = (r: number): string => `${(r * 100).toFixed(2)}%`;
const ms = (v: number): string => v.toFixed(2);

function row(label: string, value: string | number, width = 16): string {
  return `${`${label}:`.padEnd(width)}${value}`;
}

function latencyBlock(s: LatencyStats): string[] {
  return [
    row('Min', ms(s.min), 8), row('Max', ms(s.max), 8), row('Avg', ms(s.avg), 8), row('P50', ms(s.p50), 8),
    row('P90', ms(s.p90), 8), row('P95', ms(s.p95), 8), row('P99', ms(s.p99), 8), row('StdDev', ms(s.stddev), 8),
  ];
}

/** The text summary, laid out as the seed tool's report. Returns the text; the caller prints it. */
export function formatSummary(s: Summary, lang: Lang = 'en', extra: (s: Summary, lang: Lang) => string[] = () => []): string {
  const L = LABELS[lang];
  const out: string[] = [];
  const bar = '='.repeat(20);
  out.push(`${bar}${L.title}${bar}`);
  if (s.interrupted) out.push(`*** ${L.interrupted} ***`);
  out.push(`scenario: ${s.scenario}   target: ${s.target}`, '');
  out.push(`--- ${L.conns} ---`);
  out.push(row(L.attempted, s.connections.attempted), row(L.succeeded, s.connections.succeeded), row(L.failed, s.connections.failed));
  out.push(row(L.successRate, pct(s.connections.successRate)));
  out.push(row(L.disconnected, s.connections.disconnected), row(L.final, s.connections.final), row(L.peak, s.connections.peak));
  if (s.connections.aborted > 0) out.push(row(L.aborted, s.connections.aborted));
  const errors = Object.entries(s.connections.errors).filter(([, n]) => n > 0);
  if (errors.length > 0) {
    out.push('', `--- ${L.errors} ---`);
    for (const [k, n] of errors.sort((a, b) => b[1] - a[1])) {
      const hint = hintFor(k);
      out.push(`${String(n).padStart(8)}  ${k}${hint ? `  → ${hint}` : ''}`);
    }
  }
  const disc = Object.entries(s.connections.disconnectReasons).filter(([, n]) => n > 0);
  if (disc.length > 0) {
    out.push('', `--- ${L.disconnects} ---`);
    for (const [k, n] of disc.sort((a, b) => b[1] - a[1])) out.push(`${String(n).padStart(8)}  ${k}`);
  }
  out.push('', `--- ${L.latency} ---`, ...latencyBlock(s.connectLatencyMs));
  out.push('', `--- ${L.heartbeat} ---`);
  out.push(row(L.pings, s.heartbeat.pingsSent), row(L.pongs, s.heartbeat.pongsReceived), row(L.pongRate, s.heartbeat.pongRate === null ? 'n/a (no pings sent)' : pct(s.heartbeat.pongRate)));
  if (s.heartbeat.rttMs.count > 0) out.push(row(`${L.rtt} P50/P99`, `${ms(s.heartbeat.rttMs.p50)} / ${ms(s.heartbeat.rttMs.p99)}`));
  out.push(...extra(s, lang));
  if (s.runner.warnings.length > 0) {
    out.push('', `--- ${L.warnings} ---`);
    for (const w of s.runner.warnings) out.push(`! ${w}`);
  }
  out.push('', `--- ${L.duration}: ${s.durationSec.toFixed(2)} ${L.seconds} ---`, '', '='.repeat(40 + L.title.length));
  return out.join('\n');
}
