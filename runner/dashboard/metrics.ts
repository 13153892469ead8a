import { Counter, Gauge, Metric, Registry } from 'prom-client';
import { M } from '../../lib/core/metric-names';
import type { SecondRecord } from '../../lib/results/record';
import type { SecondRow } from '../../lib/results/timeseries';
import { HdrHistogramMetric, LIFETIME_BUCKETS_SECONDS } from './hdr-metric';

/** The labels every metric carries, so that the generators of a split run add up in PromQL. */
export interface RunLabels {
  scenario: string;
  /** `i/n` of `--segment`; `0/1` for a run that is not split. */
  segment: string;
}

/** Counters fed from one counter of the workers' interval snapshots (docs/architecture.md, "Public contracts"). */
const COUNTERS: Array<[name: string, from: string, help: string]> = [
  ['wsbench_connect_attempts_total', M.attempts, 'Connection attempts started'],
  ['wsbench_connects_total', M.sessions, 'Connections opened (WebSocket upgrade completed)'],
  ['wsbench_pings_total', M.pings, 'Heartbeat pings sent'],
  ['wsbench_pongs_total', M.pongs, 'Heartbeat pongs received'],
  ['wsbench_messages_sent_total', M.imSent, 'IM messages sent (summary messages.sent)'],
  ['wsbench_messages_expected_total', M.imExpected, 'IM deliveries the senders expect (1 per peer message, members - 1 per room message)'],
  ['wsbench_messages_delivered_total', M.imDelivered, 'IM deliveries received, first copies (summary messages.delivered)'],
  ['wsbench_frames_sent_total', M.msgsSent, 'WebSocket data frames sent (heartbeats excluded)'],
  ['wsbench_frames_received_total', M.msgsReceived, 'WebSocket data frames received (heartbeats excluded)'],
  ['wsbench_arrivals_total', M.vusArrived, 'VUs of arrive stages started (docs/arrivals.md)'],
  ['wsbench_departures_total', M.vusDeparted, 'VUs of arrive stages gone at the end of their lifetime'],
];

/**
 * The Prometheus registry of one run (prom-client). Everything is fed once a second from the
 * same per-worker interval snapshots that make timeseries.ndjson: counters grow by each second's
 * counts, histograms by each second's HDR histograms, gauges take the second's row.
 */
export class LiveMetrics {
  readonly registry = new Registry();
  private readonly counters = new Map<string, Counter>();
  private readonly failures: Counter<'class'>;
  private readonly disconnects: Counter<'class'>;
  private readonly lost: Counter;
  private readonly vus: Gauge;
  private readonly open: Gauge;
  private readonly machineCpu: Gauge;
  private readonly cpu: Gauge<'worker'>;
  private readonly loopDelay: Gauge<'worker'>;
  private readonly rss: Gauge<'worker'>;
  private readonly histograms: Array<[HdrHistogramMetric, string]>;
  private vusRunning = 0;
  private expected = 0;
  private delivered = 0;
  private isDrained = false;

  constructor(labels: RunLabels) {
    const r = [this.registry];
    this.registry.setDefaultLabels({ scenario: labels.scenario, segment: labels.segment });
    for (const [name, from, help] of COUNTERS) this.counters.set(from, new Counter({ name, help, registers: r }));
    this.failures = new Counter({ name: 'wsbench_connect_failures_total', help: 'Failed connection attempts by failure class', labelNames: ['class'], registers: r });
    this.disconnects = new Counter({ name: 'wsbench_disconnects_total', help: 'Connections closed by the other side or the network, by class', labelNames: ['class'], registers: r });
    this.lost = new Counter({ name: 'wsbench_messages_lost_total', help: 'Expected deliveries that never arrived; counted once the run has drained (live: expected - delivered)', registers: r });
    this.vus = new Gauge({ name: 'wsbench_vus', help: 'VUs running (started - stopped by the schedule)', registers: r });
    this.open = new Gauge({ name: 'wsbench_connections_open', help: 'Connections open at the end of the second', registers: r });
    this.machineCpu = new Gauge({ name: 'wsbench_machine_cpu_ratio', help: "The generator machine's CPU busy, fraction of all cores", registers: r });
    this.cpu = new Gauge({ name: 'wsbench_runner_cpu_ratio', help: 'CPU of a worker process in the second, fraction of one core', labelNames: ['worker'], registers: r });
    this.loopDelay = new Gauge({ name: 'wsbench_event_loop_delay_seconds', help: "p99 of a worker's event-loop delay in the second", labelNames: ['worker'], registers: r });
    this.rss = new Gauge({ name: 'wsbench_runner_rss_bytes', help: 'Resident memory of a worker process', labelNames: ['worker'], registers: r });
    this.histograms = [
      [new HdrHistogramMetric('wsbench_connect_duration_seconds', 'Connect latency: TCP connect, TLS and upgrade'), M.connecting],
      [new HdrHistogramMetric('wsbench_ping_rtt_seconds', 'Heartbeat ping to pong round trip'), M.ping],
      [new HdrHistogramMetric('wsbench_message_latency_seconds', 'IM delivery latency, send to arrival'), M.msgLatency],
      [new HdrHistogramMetric('wsbench_session_lifetime_seconds', "An arriving VU's start to its departure", LIFETIME_BUCKETS_SECONDS), M.sessionLifetime],
    ];
    // prom-client's registry reads any metric through get(); its types list only its own classes
    for (const [h] of this.histograms) this.registry.registerMetric(h as unknown as Metric);
  }

  /**
   * One second of the run: its row of timeseries.ndjson, and its record (the row's source), with
   * each worker's own sample (CPU, event loop, memory).
   */
  second(row: SecondRow, record: SecondRecord): void {
    const { interval } = record;
    const c = interval.counters;
    for (const [from, counter] of this.counters) {
      const n = c[from];
      if (n) counter.inc(n);
    }
    for (const [cls, n] of Object.entries(interval.errors)) if (n) this.failures.inc({ class: cls }, n);
    for (const [cls, n] of Object.entries(interval.disconnects)) if (n) this.disconnects.inc({ class: cls }, n);
    for (const [h, from] of this.histograms) {
      const enc = interval.trends[from];
      if (enc) h.addEncoded(enc);
    }
    this.vusRunning += (c[M.vusStarted] ?? 0) - (c[M.vusStopped] ?? 0);
    this.expected += c[M.imExpected] ?? 0;
    this.delivered += c[M.imDelivered] ?? 0;
    for (const p of record.workers) {
      const w = { worker: p.worker };
      this.cpu.set(w, p.cpuPct / 100);
      this.loopDelay.set(w, p.loopP99Ms / 1000);
      this.rss.set(w, p.rssBytes);
    }
    this.vus.set(this.vusRunning);
    this.open.set(row.open);
    this.machineCpu.set(row.machineCpuPct / 100);
  }

  /** The run has drained: deliveries still missing are lost now. */
  drained(): void {
    if (this.isDrained) return;
    this.isDrained = true;
    this.vus.set(0);
    const lost = Math.max(0, this.expected - this.delivered);
    if (lost > 0) this.lost.inc(lost);
  }

  /** The text exposition format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
