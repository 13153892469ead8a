import { hasSamples } from '../stats';
import type { Summary } from '../summary';

const n2 = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(2));

/** The open model's section of the text summary (docs/arrivals.md); empty without an arrive stage. */
export function arrivalLines(s: Summary, lang: 'en' | 'zh'): string[] {
  const a = s.arrivals;
  if (!a) return [];
  const zh = lang === 'zh';
  const out = ['', `--- ${zh ? '到达与会话时长' : 'Arrivals and lifetimes'} ---`];
  out.push(`${zh ? '计划/到达/离开/丢弃' : 'Planned/arrived/departed/dropped'}: ${a.planned} / ${a.arrived} / ${a.departed} / ${a.dropped}`);
  out.push(`${zh ? '到达率' : 'Arrivals/s'}: ${n2(a.arrivalsPerSec)}`);
  const l = a.lifetimeMs;
  out.push(`${zh ? '会话时长 (ms)' : 'Session lifetime (ms)'}: ${hasSamples(l) ? `P50 ${l.p50.toFixed(1)}  P90 ${l.p90.toFixed(1)}  P99 ${l.p99.toFixed(1)}  avg ${l.avg.toFixed(1)}  (${l.count} departed)` : 'n/a (no VU departed)'}`);
  for (const w of a.little) {
    const verdict = w.ok === null ? 'n/a (no second in the window)' : w.ok ? 'ok' : 'OFF';
    out.push(
      `Little's law, stage ${w.stage + 1} (s ${w.fromSec}-${w.toSec}): open ${n2(w.measuredOpen)} vs rate × lifetime ${w.expectedOpen} ± ${w.tolerance}  ${verdict}` +
        `  (arr/s ${n2(w.arrivalsPerSec)}, dep/s ${n2(w.departuresPerSec)})`,
    );
  }
  return out;
}

/** The rows of the HTML report's arrivals card (lib/results/report/html.ts): the same figures as the text. */
export function arrivalRows(a: NonNullable<Summary['arrivals']>): Array<[string, string | number]> {
  const l = a.lifetimeMs;
  return [
    ['planned', a.planned], ['arrived', a.arrived], ['departed', a.departed], ['dropped', a.dropped], ['arrivals/s', n2(a.arrivalsPerSec)],
    ['lifetime p50 / p90 / p99 (ms)', hasSamples(l) ? `${l.p50.toFixed(1)} / ${l.p90.toFixed(1)} / ${l.p99.toFixed(1)}` : 'no data'],
    ...a.little.map((w): [string, string] => [
      `open, stage ${w.stage + 1} (s ${w.fromSec}-${w.toSec})`,
      `${n2(w.measuredOpen)} vs ${w.expectedOpen} ± ${w.tolerance}: ${w.ok === null ? 'no data' : w.ok ? 'ok' : 'OFF'}`,
    ]),
  ];
}
