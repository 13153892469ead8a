import fs from 'node:fs';
import path from 'node:path';

/** uPlot's browser build and stylesheet, inline: the page fetches nothing but its own /events. */
function uplot(): { js: string; css: string } {
  const dir = path.join(path.dirname(require.resolve('uplot/package.json')), 'dist');
  return { js: fs.readFileSync(path.join(dir, 'uPlot.iife.min.js'), 'utf8'), css: fs.readFileSync(path.join(dir, 'uPlot.min.css'), 'utf8') };
}

/**
 * Runs in the browser. Draws the charts the server sends (the specs of report.html), appends each
 * second's columns, draws a dashed marker at every stage boundary, and fills the figures line.
 * `window.wsbenchLive.plots` exposes the drawn data (the browser test reads it).
 */
const CLIENT = `(function () {
  var plots = {}, markers = [], totalSec = 1;
  window.wsbenchLive = { plots: plots };
  var charts = document.getElementById('charts');
  function markerPlugin() {
    return { hooks: { draw: [function (u) {
      var ctx = u.ctx; ctx.save(); ctx.strokeStyle = '#94a3b8'; ctx.fillStyle = '#64748b'; ctx.lineWidth = 1;
      ctx.setLineDash([5, 4]); ctx.font = '11px system-ui, sans-serif';
      markers.forEach(function (m) {
        var x = Math.round(u.valToPos(m.sec, 'x', true));
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
        ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
        var right = x + 3 + ctx.measureText(m.label).width > u.bbox.left + u.bbox.width;
        ctx.textAlign = right ? 'right' : 'left';
        ctx.fillText(m.label, right ? x - 3 : x + 3, u.bbox.top + 12);
      });
      ctx.restore();
    }] } };
  }
  function box(c) {
    var el = document.getElementById(c.id);
    if (el) { el.innerHTML = ''; el.previousSibling.textContent = c.title; return el; }
    var b = document.createElement('div'); b.className = 'chart-box';
    var h = document.createElement('h3'); h.textContent = c.title; b.appendChild(h);
    el = document.createElement('div'); el.id = c.id; b.appendChild(el); charts.appendChild(b);
    return el;
  }
  function draw(c) {
    var el = box(c);
    delete plots[c.id];
    if (c.empty) { el.className = 'chart empty'; el.textContent = c.empty; return; }
    el.className = 'chart';
    var series = [{ label: 'second' }].concat(c.series.map(function (s) {
      return { label: s.label, stroke: s.color, width: s.width, scale: s.scale, spanGaps: false, points: { show: false } };
    }));
    var axes = [{ label: 'second of the run' }, { scale: 'y', label: c.yLabel }];
    if (c.y2Label) axes.push({ scale: 'y2', side: 1, label: c.y2Label, grid: { show: false } });
    var scales = { x: { time: false, range: function (u, min, max) { return [0, Math.max(totalSec, max || 0, 1)]; } } };
    if (c.yRange) scales.y = { range: c.yRange };
    var data = [c.x.slice()].concat(c.series.map(function (s) { return s.values.slice(); }));
    var opts = { width: Math.max(320, el.clientWidth || 560), height: 220, series: series, axes: axes, scales: scales, legend: { live: false }, plugins: [markerPlugin()] };
    plots[c.id] = { u: new uPlot(opts, data, el), data: data };
    el.setAttribute('data-colors', JSON.stringify(c.series.map(function (s) { return s.color; })));
  }
  function append(a) {
    var p = plots[a.id]; if (!p) return;
    Array.prototype.push.apply(p.data[0], a.x);
    a.values.forEach(function (v, i) { Array.prototype.push.apply(p.data[i + 1], v); });
    p.u.setData(p.data);
  }
  // a chart drawn while it was alone took the whole row: fit every plot to its box once the grid settles
  function fit() {
    Object.keys(plots).forEach(function (id) {
      var el = document.getElementById(id), u = plots[id].u, w = Math.max(320, el.clientWidth);
      if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height: 220 });
    });
  }
  window.addEventListener('resize', fit);
  function figures(f) {
    Object.keys(f).forEach(function (k) { var el = document.getElementById('f-' + k); if (el) el.textContent = f[k]; });
  }
  var es = new EventSource('events');
  es.addEventListener('init', function (e) {
    var d = JSON.parse(e.data); markers = d.markers; totalSec = d.totalSec; window.wsbenchLive.markers = markers;
    document.getElementById('title').textContent = 'wsbench live: ' + d.scenario;
    document.getElementById('meta').textContent = 'target ' + d.target + ' · segment ' + d.segment + ' · ' + d.stages + ' stage(s), ' + d.totalSec + ' s';
    charts.innerHTML = ''; d.charts.forEach(draw); fit(); figures(d.figures);
  });
  es.addEventListener('second', function (e) {
    var d = JSON.parse(e.data); d.replace.forEach(draw); d.append.forEach(append); if (d.replace.length) fit(); figures(d.figures);
  });
  es.addEventListener('final', function (e) {
    var d = JSON.parse(e.data); figures(d.figures);
    var st = document.getElementById('status'); st.textContent = d.status; st.className = 'status ' + d.cls;
    es.close();
  });
  es.onerror = function () { if (es.readyState === 2) return; document.getElementById('status').textContent = 'reconnecting'; };
})();`;

const CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #0f172a; background: #f8fafc; }
h1 { font-size: 22px; margin: 0 0 4px; } h3 { font-size: 14px; margin: 0 0 8px; } .meta { color: #475569; }
.status { display: inline-block; padding: 2px 10px; border-radius: 4px; font-weight: 600; color: #fff; background: #2563eb; font-size: 14px; }
.status.ok { background: #16a34a; } .status.bad { background: #dc2626; } .status.warn { background: #d97706; }
#figures { display: flex; flex-wrap: wrap; gap: 8px; margin: 16px 0; }
#figures div { background: #fff; border: 1px solid #e2e8f0; border-radius: 6px; padding: 6px 12px; }
#figures span { display: block; font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 12px; }
.chart-box { background: #fff; border: 1px solid #e2e8f0; border-radius: 6px; padding: 12px; min-width: 0; overflow: hidden; }
.chart.empty { color: #64748b; padding: 24px 0; }
`;

/** The live figures line: label per key of `figures` in the events. */
const FIGURES: Array<[string, string]> = [
  ['elapsed', 'elapsed'], ['stage', 'stage'], ['open', 'open connections'], ['attempted', 'attempted'],
  ['succeeded', 'succeeded'], ['failed', 'failed'], ['p99', 'connect p99 (ms)'], ['pongRate', 'pong rate'],
  ['msgs', 'frames sent / received'], ['cpu', 'runner CPU'],
];

/** The whole page, built once per run; everything live arrives over /events. */
export function livePage(): string {
  const { js, css } = uplot();
  const figures = FIGURES.map(([k, label]) => `<div>${label}<span id="f-${k}">–</span></div>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wsbench live</title>
<style>${css}</style>
<style>${CSS}</style>
</head>
<body>
<h1><span id="title">wsbench live</span> <span class="status" id="status">running</span></h1>
<div class="meta" id="meta">waiting for the run to start</div>
<div id="figures">${figures}</div>
<div class="charts" id="charts"></div>
<script>${js.replace(/<\/script/gi, '<\\/script')}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}
