import { planStages, totalDurationMs } from '../../lib/scenario/stages';
import type { Summary } from '../../lib/results/summary';
import type { SecondRecord } from '../../lib/results/record';
import type { SecondRow } from '../../lib/results/timeseries';
import type { ResolvedOptions } from '../../lib/scenario/types';
import type { LiveView } from '../run';
import { DashboardAddress, exposureLine, urlOf } from './address';
import { ChartStream, PageCharts } from './chart-stream';
import { LiveMetrics } from './metrics';
import { livePage } from './page';
import { redactUrl } from '../../lib/core/redact';
import { listen, SseClient } from './server';

export { DEFAULT_DASHBOARD, parseDashboard } from './address';

export interface DashboardOptions extends DashboardAddress {
  /** This generator's share of a split run (`--segment`), the `segment` label; default 0/1. */
  segment?: { index: number; count: number };
  /** How long the final state stays served after the run (`--dashboard-linger`), ms. */
  lingerMs: number;
  /** The summary so far (the coordinator's live summary). */
  liveSummary: () => Summary | undefined;
  /** Where the dashboard's lines go (stderr). */
  log: (line: string) => void;
}

/** The live endpoints of one run: `/`, `/events`, `/metrics`, `/summary.json` (docs/architecture.md, "Public contracts"). */
export interface Dashboard {
  readonly url: string;
  /** The run's options are known: labels, stage markers. */
  setOptions(options: ResolvedOptions): void;
  /**
   * Each second: the row of timeseries.ndjson, the live view, the workers' interval snapshots of
   * the second merged (the row's source), and each worker's report of the second.
   */
  onSecond(row: SecondRow, live: LiveView, record: SecondRecord): void;
  /** The run is over: serve the final summary for the linger time, then close. */
  finish(summary: Summary): Promise<void>;
  close(): Promise<void>;
}

type Figures = Record<string, string>;
const pct = (r: number): string => `${(r * 100).toFixed(2)}%`;

/** Starts the server (before the run: a port in use fails the run at once, exit 1). */
export async function startDashboard(o: DashboardOptions): Promise<Dashboard> {
  const segment = o.segment ? `${o.segment.index}/${o.segment.count}` : '0/1';
  const charts = new ChartStream();
  const pages = new Map<SseClient, PageCharts>();
  let page: string | undefined;
  let options: ResolvedOptions | undefined;
  let metrics: LiveMetrics | undefined;
  let final: Summary | undefined;
  let figures: Figures = {};
  const sums = { connects: 0, pings: 0, sent: 0, received: 0 };

  const init = (): unknown => {
    const stages = options ? planStages(options.stages) : [];
    const markers = stages.map((s, i) => ({
      sec: (s.startMs + s.durationMs) / 1000,
      label: i === stages.length - 1 ? 'end' : `stage ${i + 2}: ${stages[i + 1]?.to === s.to ? 'hold' : `to ${stages[i + 1]?.to}`}`,
    }));
    return {
      scenario: options?.scenario ?? '', target: options ? redactUrl(options.target) : '', segment, stages: stages.length,
      totalSec: totalDurationMs(stages) / 1000, markers, figures, charts: [],
    };
  };
  const server = await listen(o.host, o.port, {
    page: () => (page ??= livePage()),
    metrics: async () => (metrics ? { body: await metrics.text(), contentType: metrics.contentType } : { body: '', contentType: 'text/plain; version=0.0.4; charset=utf-8' }),
    summary: () => {
      const s = final ?? o.liveSummary();
      return s && { ...s, target: redactUrl(s.target) };
    },
    subscribe: (client) => {
      const view: PageCharts = { shapes: new Map(), seconds: 0 };
      pages.set(client, view);
      client.send('init', { ...(init() as object), charts: options ? charts.full(view) : [] });
      if (final) client.send('final', finalEvent(final));
    },
    unsubscribe: (client) => pages.delete(client),
  });
  const url = urlOf(o.host, server.port);
  o.log(`dashboard: ${url} (live page), ${url}metrics (Prometheus), ${url}summary.json`);
  const exposed = exposureLine(o.host, server.port);
  if (exposed) o.log(exposed);

  const close = async (): Promise<void> => {
    for (const client of pages.keys()) client.end();
    pages.clear();
    await server.close();
  };
  return {
    url,
    close,
    setOptions(opts) {
      options = opts;
      metrics = new LiveMetrics({ scenario: opts.scenario, segment });
      for (const [client, view] of pages) client.send('init', { ...(init() as object), charts: charts.full(view) });
    },
    onSecond(row, live, record) {
      metrics?.second(row, record);
      charts.add(row);
      sums.connects += row.connects;
      sums.pings += row.pings;
      sums.sent += row.msgsSent;
      sums.received += row.msgsReceived;
      figures = {
        elapsed: `${live.elapsedSec} / ${live.totalSec} s`, stage: `${Math.min(live.stage, live.stages)} / ${live.stages}`,
        open: String(row.open), attempted: String(live.attempted), succeeded: String(sums.connects), failed: String(live.failed),
        p99: live.p99 === null ? 'n/a' : live.p99.toFixed(2), pongRate: sums.pings > 0 ? pct(live.pongRate) : 'n/a',
        msgs: `${sums.sent} / ${sums.received}`, cpu: `${row.cpuPct}%`,
      };
      // per page: only what it lacks (nothing at all is computed while no page is open)
      for (const [client, view] of pages) {
        const update = charts.update(view);
        if (update) client.send('second', { ...update, figures });
      }
    },
    async finish(summary) {
      final = summary;
      metrics?.drained();
      for (const client of pages.keys()) client.send('final', finalEvent(summary));
      if (o.lingerMs > 0) {
        o.log(`dashboard: serving the final state at ${url} for ${o.lingerMs / 1000} s (--dashboard-linger; Ctrl-C ends it)`);
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            process.off('SIGINT', done);
            process.off('SIGTERM', done);
            resolve();
          };
          const timer = setTimeout(done, o.lingerMs);
          process.once('SIGINT', done);
          process.once('SIGTERM', done);
        });
      }
      await close();
    },
  };
}

/** The figures line and the status badge of the final summary (the badge as report.html words it). */
function finalEvent(s: Summary): { figures: Figures; status: string; cls: string } {
  const c = s.connections;
  const crossed = Object.values(s.thresholds).some((t) => !t.ok);
  const [status, cls] = s.abortedByThreshold ? ['ABORTED BY THRESHOLD', 'bad'] : s.interrupted ? ['INTERRUPTED (partial results)', 'warn'] : crossed ? ['THRESHOLDS CROSSED', 'bad'] : ['PASSED', 'ok'];
  return {
    status: `finished: ${status}`, cls,
    figures: {
      elapsed: `${s.durationSec} s`, open: `${c.final} (peak ${c.peak})`, attempted: String(c.attempted), succeeded: String(c.succeeded),
      failed: String(c.failed), p99: s.connectLatencyMs.p99 === null ? 'n/a' : s.connectLatencyMs.p99.toFixed(2),
      pongRate: s.heartbeat.pongRate === null ? 'n/a' : pct(s.heartbeat.pongRate),
      msgs: `${s.messages.frames.sent} / ${s.messages.frames.received}`,
    },
  };
}
