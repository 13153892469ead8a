import { byCount, hintFor } from '../../core/errors';
import { hasSamples, Stats } from '../stats';
import { shownResult } from '../thresholds';
import type { Summary } from '../summary';
import type { SecondRow } from '../timeseries';
import { ChartSpec, chartsOf, EmptyChart } from './charts';
import { Grade, healthOf } from './health';
import { waveMarks, wavesCard } from './waves';
import { arrivalRows } from './arrivals';
import { bytesRows, slowReaderRows } from './flow-lines';

export interface ReportInput {
  summary: Summary;
  timeseries: SecondRow[];
  /** uPlot's browser build and stylesheet, embedded so that the report works offline (runner/uplot.ts reads them). */
  uplot: { js: string; css: string };
}

const esc = (v: unknown): string =>
  String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const pct = (r: number | null): string => (r === null ? 'no data' : `${(r * 100).toFixed(2)}%`);
const ms = (v: number): string => v.toFixed(2);
/** Inside a <script>: no `</script` can end it early. */
const scriptSafe = (s: string): string => s.replace(/<\/script/gi, '<\\/script');

function grade(g: Grade | null | undefined): string {
  return g ? `<span class="grade grade-${g.replace(' ', '-')}">${esc(g)}</span>` : '';
}

function figures(title: string, rows: Array<[string, string | number, string?]>): string {
  const body = rows.map(([k, v, g]) => `<tr><th>${esc(k)}</th><td class="num">${esc(v)}</td><td>${g ?? ''}</td></tr>`).join('');
  return `<div class="card"><h3>${esc(title)}</h3><table class="figures">${body}</table></div>`;
}

const optionalCard = (title: string, rows: Array<[string, string | number]>): string[] => (rows.length ? [figures(title, rows)] : []);

function latencyRows(s: Stats, g: { p50?: string; p99?: string } = {}): Array<[string, string | number, string?]> {
  if (!hasSamples(s)) return [['count', 0], ...(['min', 'avg', 'p50', 'p90', 'p95', 'p99', 'max', 'stddev'] as const).map((k): [string, string] => [k, 'no data'])];
  return [
    ['count', s.count], ['min', ms(s.min)], ['avg', ms(s.avg)], ['p50', ms(s.p50), g.p50], ['p90', ms(s.p90)],
    ['p95', ms(s.p95)], ['p99', ms(s.p99), g.p99], ['max', ms(s.max)], ['stddev', ms(s.stddev)],
  ];
}

const isStats = (v: unknown): v is Stats => typeof v === 'object' && v !== null && 'p99' in v && 'count' in v;

/** Every figure of the messages block, whatever the messaging mode put there: latencies as p50 / p99. */
function messageRows(m: Summary['messages'], prefix = ''): Array<[string, string | number]> {
  const out: Array<[string, string | number]> = [];
  for (const [k, v] of Object.entries(m)) {
    const name = `${prefix}${k}`;
    if (typeof v === 'number') out.push([name, Number.isInteger(v) ? v : Number(v.toFixed(4))]);
    else if (v === null) out.push([name, 'no data']);
    else if (isStats(v)) out.push([`${name} p50 / p99`, hasSamples(v) ? `${ms(v.p50)} / ${ms(v.p99)}` : 'no data']);
    else if (typeof v === 'object' && !prefix) out.push(...messageRows(v as Summary['messages'], `${name}.`));
  }
  return out;
}

const hasMessages = (m: Summary['messages']): boolean =>
  m.sent > 0 || m.received > 0 || m.expected > 0 || m.frames.sent > 0 || m.frames.received > 0 || m.latencyMs.count > 0;

function summarySection(s: Summary): string {
  const h = s.health ?? healthOf(s);
  const c = s.connections;
  const cards = [
    figures('Connections', [
      ['attempted', c.attempted], ['succeeded', c.succeeded], ['failed', c.failed], ['success rate', pct(c.attempted ? c.successRate : null), grade(h.successRate)],
      ['disconnected', c.disconnected], ['open at end', c.final], ['peak open', c.peak], ...(c.aborted > 0 ? [['aborted (run cut short)', c.aborted] as [string, number]] : []),
    ]),
    figures('Connect latency (ms)', latencyRows(s.connectLatencyMs, { p50: grade(h.connectP50), p99: grade(h.connectP99) })),
    figures('Heartbeat', [
      ['pings sent', s.heartbeat.pingsSent], ['pongs received', s.heartbeat.pongsReceived], ['pong rate', pct(s.heartbeat.pongRate), grade(h.pongRate)],
      ...(s.heartbeat.unresolved > 0 ? [['unresolved at stop', s.heartbeat.unresolved] as [string, number]] : []),
      ['RTT p50 / p99 (ms)', hasSamples(s.heartbeat.rttMs) ? `${ms(s.heartbeat.rttMs.p50)} / ${ms(s.heartbeat.rttMs.p99)}` : 'no data'],
    ]),
    // a connect-only run carried no messages: no card of zeros and "no data"
    ...(hasMessages(s.messages) ? [figures('Messages', messageRows(s.messages))] : []),
    ...(s.arrivals ? [figures('Arrivals and lifetimes', arrivalRows(s.arrivals))] : []),
    // shown, as in the text summary, only when the run had slow readers or carried payload
    ...optionalCard('Slow readers', slowReaderRows(s.slowReaders)),
    ...optionalCard('Bytes on the wire', bytesRows(s.bytes, c.succeeded)),
  ];
  return `<section id="summary"><h2>Summary ${grade(h.overall)}</h2><div class="cards">${cards.join('')}</div></section>`;
}

function thresholdsSection(s: Summary): string {
  const entries = Object.entries(s.thresholds);
  const abort = s.abortedByThreshold;
  const note = abort
    ? `<p class="bad">The run was aborted at second ${abort.atSec} by <code>${esc(abort.threshold)}</code> (value then: ${esc(abort.value)}).</p>`
    : '';
  if (entries.length === 0) return `<section id="thresholds"><h2>Thresholds</h2>${note}<p>No thresholds were evaluated.</p></section>`;
  const rows = entries.map(([expr, r]) => {
    const shown = shownResult(r);
    const cls = shown.mark === '–' ? 'nodata' : shown.mark === '✓' ? 'ok' : 'bad';
    return `<tr class="${cls}"><td class="mark">${shown.mark}</td><td><code>${esc(expr)}</code></td><td class="num value">${esc(shown.text)}</td></tr>`;
  });
  return `<section id="thresholds"><h2>Thresholds</h2>${note}<table id="thresholds-table"><thead><tr><th></th><th>threshold</th><th>value</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function classes(title: string, id: string, counts: Record<string, number>, hints: boolean): string {
  const entries = byCount(counts);
  if (entries.length === 0) return `<div class="card" id="${id}"><h3>${esc(title)}</h3><p class="ok">none</p></div>`;
  const max = entries[0]?.[1] ?? 1;
  const rows = entries.map(([k, n]) => {
    const hint = hints ? hintFor(k) : undefined;
    return `<tr><th>${esc(k)}</th><td class="num">${n}</td><td class="barcell"><div class="bar" style="width:${((n / max) * 100).toFixed(1)}%"></div></td><td class="hint">${hint ? esc(hint) : ''}</td></tr>`;
  });
  return `<div class="card wide" id="${id}"><h3>${esc(title)}</h3><table class="classes">${rows.join('')}</table></div>`;
}

function chartDivs(charts: Array<ChartSpec | EmptyChart>): string {
  return charts
    .map((c) => ('empty' in c
      ? `<div class="chart-box"><h3>${esc(c.title)}</h3><div class="chart empty" id="${c.id}">${esc(c.empty)}</div></div>`
      : `<div class="chart-box"><h3>${esc(c.title)}</h3><div class="chart" id="${c.id}"></div></div>`))
    .join('');
}

function status(s: Summary): { text: string; cls: string } {
  if (s.abortedByThreshold) return { text: 'ABORTED BY THRESHOLD', cls: 'bad' };
  if (s.interrupted) return { text: 'INTERRUPTED (partial results)', cls: 'warn' };
  const failed = Object.values(s.thresholds).some((t) => !t.ok);
  return failed ? { text: 'THRESHOLDS CROSSED', cls: 'bad' } : { text: 'PASSED', cls: 'ok' };
}

/** Draws every chart spec with uPlot; runs in the browser. */
const CLIENT = `(function () {
  var specs = JSON.parse(document.getElementById('wsbench-data').textContent).charts;
  specs.forEach(function (c) {
    if (c.empty) return;
    var el = document.getElementById(c.id);
    var series = [{ label: 'second' }].concat(c.series.map(function (s) {
      return { label: s.label, stroke: s.color, width: s.width, scale: s.scale, spanGaps: false, points: { show: c.x.length <= 30 } };
    }));
    var axes = [{ label: 'second of the run' }, { scale: 'y', label: c.yLabel }];
    if (c.y2Label) axes.push({ scale: 'y2', side: 1, label: c.y2Label, grid: { show: false } });
    var scales = { x: { time: false, range: function (u, min, max) { return [min, max > min ? max : min + 1]; } } };
    if (c.yRange) scales.y = { range: c.yRange };
    var opts = { width: Math.max(320, el.clientWidth || 560), height: 220, series: series, axes: axes, scales: scales, legend: { live: false } };
    var marks = c.marks || [];
    if (marks.length) {
      // disconnect waves: a dashed line at the wave's second, a band until 99% of its VUs were back
      opts.hooks = { draw: [function (u) {
        var ctx = u.ctx, top = u.bbox.top, h = u.bbox.height;
        ctx.save();
        marks.forEach(function (m) {
          var x = u.valToPos(m.x, 'x', true);
          if (m.until !== undefined) {
            var x2 = u.valToPos(m.until, 'x', true);
            ctx.fillStyle = 'rgba(245, 158, 11, 0.15)';
            ctx.fillRect(x, top, Math.max(2, x2 - x), h);
          }
          ctx.strokeStyle = '#d97706'; ctx.lineWidth = 2; ctx.setLineDash([6, 4]);
          ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + h); ctx.stroke();
          ctx.setLineDash([]); ctx.fillStyle = '#b45309'; ctx.textAlign = 'left'; ctx.textBaseline = 'alphabetic'; ctx.font = (12 * devicePixelRatio) + 'px sans-serif';
          ctx.fillText(m.label, x + 4, top + 14 * devicePixelRatio);
        });
        ctx.restore();
      }] };
      el.setAttribute('data-waves', JSON.stringify(marks.map(function (m) { return m.x; })));
    }
    new uPlot(opts, [c.x].concat(c.series.map(function (s) { return s.values; })), el);
    el.setAttribute('data-colors', JSON.stringify(c.series.map(function (s) { return s.color; })));
  });
})();`;

const CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #0f172a; background: #f8fafc; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; } h3 { font-size: 14px; margin: 0 0 8px; }
.meta { color: #475569; } .status { display: inline-block; padding: 2px 10px; border-radius: 4px; font-weight: 600; color: #fff; }
.status.ok { background: #16a34a; color: #fff; } .status.bad { background: #dc2626; color: #fff; } .status.warn { background: #d97706; color: #fff; }
.cards, .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; }
.charts { grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); }
.card, .chart-box { background: #fff; border: 1px solid #e2e8f0; border-radius: 6px; padding: 12px; }
.card.wide { grid-column: 1 / -1; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 2px 8px; } .num { text-align: right; font-variant-numeric: tabular-nums; }
.figures th { font-weight: normal; color: #475569; }
.grade { font-size: 12px; padding: 1px 6px; border-radius: 3px; color: #fff; }
.grade-excellent { background: #16a34a; } .grade-good { background: #0d9488; } .grade-needs-work { background: #d97706; } .grade-abnormal { background: #dc2626; }
#thresholds-table { background: #fff; border: 1px solid #e2e8f0; } #thresholds-table td, #thresholds-table th { padding: 4px 12px; }
tr.ok .mark, .ok { color: #16a34a; } tr.bad .mark, .bad { color: #dc2626; } tr.nodata .mark { color: #64748b; } .mark { font-weight: 700; }
.chart.empty { color: #64748b; padding: 24px 0; } .barcell { width: 30%; } .bar { background: #dc2626; height: 10px; border-radius: 2px; }
.hint { color: #475569; font-size: 12px; } table.waves td, table.waves th { padding: 2px 10px; } ul.warnings li { color: #b45309; }
`;

/**
 * The HTML report: one self-contained file (uPlot and the data inline, nothing fetched) with the
 * summary and health grades, the thresholds, per-second charts and the failure classes.
 * Deterministic: the same summary and time series give the same bytes.
 */
export function renderReport(input: ReportInput): string {
  const s = input.summary;
  const charts = chartsOf(input.timeseries, waveMarks(s.disconnectWaves));
  const st = status(s);
  const { js, css } = input.uplot;
  const data = JSON.stringify({ charts }).replace(/</g, '\\u003c');
  const warnings = s.runner.warnings.length > 0
    ? `<section id="warnings"><h2>Runner warnings</h2><ul class="warnings">${s.runner.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></section>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wsbench ${esc(s.scenario)} ${esc(s.startedAt)}</title>
<style>${css}</style>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>wsbench: ${esc(s.scenario)} <span class="status ${st.cls}" id="status">${esc(st.text)}</span></h1>
<div class="meta">target <code>${esc(s.target)}</code> · mode ${esc(s.mode)} · started ${esc(s.startedAt)} · ran ${s.durationSec.toFixed(2)} s · ${s.runner.workers.length} worker process(es)</div>
</header>
${summarySection(s)}
${thresholdsSection(s)}
<section id="charts"><h2>Over time</h2><div class="charts">${chartDivs(charts)}</div></section>
${wavesCard(s.disconnectWaves)}
<section id="failures"><h2>Failure classes</h2><div class="cards">${classes('Connect failures', 'failure-classes', s.connections.errors, true)}${classes('Disconnects (closed by the other side)', 'disconnect-classes', s.connections.disconnectReasons, false)}</div></section>
${warnings}
<script type="application/json" id="wsbench-data">${data}</script>
<script>${scriptSafe(js)}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}
