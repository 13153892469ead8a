import type { SecondRow } from '../timeseries';
import type { WaveMark } from './waves';

/** One line of a chart; `values` align with the chart's x (null: nothing measured that second). */
export interface ChartSeries {
  label: string;
  color: string;
  values: Array<number | null>;
  /** 'y' (left axis) or 'y2' (right axis). */
  scale: 'y' | 'y2';
  /** Stroke width in px: a series that may coincide with a later one is drawn wider so both show. */
  width: number;
}

/** A time chart of the report: x is the second of the run (0 = first second). */
export interface ChartSpec {
  id: string;
  title: string;
  yLabel: string;
  y2Label?: string;
  /** Fixed range of the left axis (percentages); auto when absent. */
  yRange?: [number, number];
  x: number[];
  series: ChartSeries[];
  /** Disconnect waves drawn on the chart (a line at each, a band while it recovered). */
  marks?: WaveMark[];
}

/** A chart that is not drawn, and why (e.g. no messages in a connect-only run). */
export interface EmptyChart {
  id: string;
  title: string;
  empty: string;
}

const COLORS = {
  blue: '#2563eb', green: '#16a34a', cyan: '#0891b2', red: '#dc2626', orange: '#ea580c', violet: '#7c3aed', grey: '#64748b',
};

/** Per-second values where `has` holds, null elsewhere (a gap, not a zero). */
function where(rows: SecondRow[], has: (r: SecondRow) => boolean, value: (r: SecondRow) => number | null): Array<number | null> {
  return rows.map((r) => (has(r) ? value(r) : null));
}

/** The report's time charts from `timeseries.ndjson`. Pure. */
export function chartsOf(rows: SecondRow[], marks: WaveMark[] = []): Array<ChartSpec | EmptyChart> {
  const charts = timeCharts(rows);
  if (marks.length > 0) for (const c of charts) if (!('empty' in c)) c.marks = marks;
  return charts;
}

function timeCharts(rows: SecondRow[]): Array<ChartSpec | EmptyChart> {
  if (rows.length === 0) return [{ id: 'chart-connections', title: 'Charts', empty: 'no per-second data (the run ended before its first second)' }];
  const x = rows.map((r) => r.sec);
  const any = (f: (r: SecondRow) => number): boolean => rows.some((r) => f(r) > 0);
  const s = (label: string, color: string, values: Array<number | null>, scale: 'y' | 'y2' = 'y', width = 2): ChartSeries => ({ label, color, values, scale, width });
  /** A latency's p50 and p99, drawn only in the seconds where `has` holds (p50 wider: the two may coincide). */
  const latency = (has: (r: SecondRow) => boolean, p50: (r: SecondRow) => number | null, p99: (r: SecondRow) => number | null): ChartSeries[] => [
    s('p50', COLORS.cyan, where(rows, has, p50), 'y', 5),
    s('p99', COLORS.red, where(rows, has, p99)),
  ];
  const charts: Array<ChartSpec | EmptyChart> = [];
  charts.push({
    id: 'chart-connections', title: 'Open connections and connect rate', yLabel: 'open connections', y2Label: 'per second', x,
    series: [s('open connections', COLORS.blue, rows.map((r) => r.open)), s('connects/s', COLORS.green, rows.map((r) => r.connects), 'y2')],
  });
  if (any((r) => r.connects)) {
    charts.push({
      id: 'chart-connect-latency', title: 'Connect latency (ms), per second', yLabel: 'ms', x,
      series: latency((r) => r.connects > 0, (r) => r.connectP50, (r) => r.connectP99),
    });
  } else charts.push({ id: 'chart-connect-latency', title: 'Connect latency (ms), per second', empty: 'no connection opened in this run' });
  if (any((r) => r.pings)) {
    charts.push({
      id: 'chart-pong-rate', title: 'Pong rate (pongs / pings of each second)', yLabel: '%', y2Label: 'pings/s', yRange: [0, 105], x,
      series: [
        s('pong rate %', COLORS.violet, where(rows, (r) => r.pings > 0, (r) => Math.min(100, (r.pongs / r.pings) * 100))),
        s('pings/s', COLORS.grey, rows.map((r) => r.pings), 'y2'),
      ],
    });
  } else charts.push({ id: 'chart-pong-rate', title: 'Pong rate', empty: 'no pings were sent in this run (ping interval longer than the run?)' });
  charts.push({
    id: 'chart-failures', title: 'Connect failures and disconnects per second', yLabel: 'per second', x,
    series: [s('connect failures/s', COLORS.red, rows.map((r) => r.failures), 'y', 5), s('disconnects/s', COLORS.orange, rows.map((r) => r.disconnects))],
  });
  if (any((r) => r.msgsSent + r.msgsReceived)) {
    charts.push({
      id: 'chart-messages', title: 'Messages (WebSocket frames) per second', yLabel: 'frames/s', x,
      series: [s('sent/s', COLORS.blue, rows.map((r) => r.msgsSent), 'y', 5), s('received/s', COLORS.green, rows.map((r) => r.msgsReceived))],
    });
  } else charts.push({ id: 'chart-messages', title: 'Messages per second', empty: 'no messages in this run' });
  if (rows.some((r) => r.msgLatencyP99 !== null)) {
    charts.push({
      id: 'chart-message-latency', title: 'Message latency (ms), per second', yLabel: 'ms', x,
      series: latency((r) => r.msgLatencyP99 !== null, (r) => r.msgLatencyP50, (r) => r.msgLatencyP99),
    });
  } else charts.push({ id: 'chart-message-latency', title: 'Message latency', empty: 'no message latency recorded in this run' });
  return charts;
}
