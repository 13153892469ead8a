import { byCount } from '../../core/errors';
import type { DisconnectWave } from '../waves';

/** The "Disconnect waves" of the text and HTML reports. Pure. */

const secs = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a (never reached)' : `${v.toFixed(2)} s`);
const ms = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toFixed(2));
const classList = (c: Record<string, number> | undefined): string => byCount(c ?? {}).map(([k, n]) => `${k}: ${n}`).join(', ');

const LABELS = {
  en: { title: 'Disconnect waves', at: 'at', dropped: 'dropped of', open: 'open', back: 'open again', p: 'back within', attempts: 'reconnect attempts', failed: 'failed', latency: 'reconnect latency (ms) P50/P99' },
  zh: { title: '断线潮', at: '于', dropped: '断开，之前在线', open: '', back: '已恢复', p: '恢复用时', attempts: '重连尝试', failed: '失败', latency: '重连延迟 (ms) P50/P99' },
} as const;

/** One block per wave; empty when there was none. */
export function waveLines(waves: DisconnectWave[] | undefined, lang: 'en' | 'zh' = 'en'): string[] {
  if (!waves || waves.length === 0) return [];
  const L = LABELS[lang];
  const out = ['', `--- ${L.title} ---`];
  waves.forEach((w, i) => {
    out.push(`#${i + 1} ${L.at} ${w.atSec} s: ${w.dropped} ${L.dropped} ${w.openBefore} ${L.open} (${classList(w.classes)})`);
    if (w.recovered === undefined) return;
    const r = w.recoverySec;
    out.push(`   ${L.back} ${w.recovered}/${w.dropped}; ${L.p} P50 ${secs(r?.p50)}, P90 ${secs(r?.p90)}, P99 ${secs(r?.p99)}`);
    const failed = w.failures ? ` (${classList(w.failureClasses)})` : '';
    out.push(`   ${L.attempts} ${w.attempts}, ${L.failed} ${w.failures}${failed}; ${L.latency} ${ms(w.reconnectLatencyMs?.p50)} / ${ms(w.reconnectLatencyMs?.p99)}`);
  });
  return out;
}

const esc = (v: unknown): string =>
  String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const cell = (v: number | null | undefined, unit = ''): string => (v === null || v === undefined ? 'no data' : `${v}${unit}`);

/** A table card of the waves, or nothing when there was none. */
export function wavesCard(waves: DisconnectWave[] | undefined): string {
  if (!waves || waves.length === 0) return '';
  const rows = waves.map((w, i) => `<tr><td class="num">${i + 1}</td><td class="num">${w.atSec}</td><td class="num">${w.dropped}</td><td>${esc(classList(w.classes))}</td>` +
    `<td class="num">${w.recovered === undefined ? '–' : `${w.recovered}/${w.dropped}`}</td>` +
    `<td class="num">${w.recovered === undefined ? '–' : [w.recoverySec?.p50, w.recoverySec?.p90, w.recoverySec?.p99].map((v) => cell(v, ' s')).join(' / ')}</td>` +
    `<td class="num">${w.attempts ?? '–'}</td><td class="num">${w.failures ?? '–'}${w.failures ? ` (${esc(classList(w.failureClasses))})` : ''}</td>` +
    `<td class="num">${w.reconnectLatencyMs ? `${cell(w.reconnectLatencyMs.p50)} / ${cell(w.reconnectLatencyMs.p99)}` : '–'}</td></tr>`);
  return `<section id="waves"><h2>Disconnect waves</h2><div class="card wide"><table class="waves"><thead><tr><th>#</th><th>second</th><th>dropped</th><th>classes</th><th>open again</th><th>back within P50 / P90 / P99</th><th>reconnect attempts</th><th>failed</th><th>reconnect latency P50 / P99 (ms)</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

/** The marks a chart draws for the waves: a line at the wave's second, a band until 99% were back. */
export interface WaveMark {
  x: number;
  /** End of the shaded recovery band (second of the run), absent when not known. */
  until?: number;
  label: string;
}

export function waveMarks(waves: DisconnectWave[] | undefined): WaveMark[] {
  return (waves ?? []).map((w, i) => {
    const p99 = w.recoverySec?.p99;
    return { x: w.atSec, ...(typeof p99 === 'number' ? { until: w.atSec + p99 } : {}), label: `wave ${i + 1}: ${w.dropped} dropped` };
  });
}
