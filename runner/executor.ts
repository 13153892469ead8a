import { performance } from 'node:perf_hooks';
import type { ClientOptions } from 'ws';
import { M } from '../lib/core/metric-names';
import { Meter } from '../lib/node/meter';
import { clientFor } from '../lib/node/client-choice';
import type { NodeSocket } from '../lib/node/socket';
import type { ProxyResolver } from '../lib/node/proxy-route';
import { NodeVu, VuHost } from '../lib/node/vu';
import { planStages, planVuEvents, Share, totalDurationMs, VuEvent } from '../lib/scenario/stages';
import type { ResolvedOptions, ScenarioOptions, VuFunction } from '../lib/scenario/types';
import { hooksOf, ScenarioHooks } from '../lib/core/vu-connection';
import { runVuFunction } from '../lib/core/vu-book';
import { CLOSE_FORCE_MS, CLOSE_HANDSHAKE_MS, drainMs } from '../lib/core/drain';

export interface ExecutorConfig {
  options: ResolvedOptions;
  share: Share;
  vuFn: VuFunction;
  /** The module's own options: their function forms (tokens, headers) cannot cross IPC. */
  scenarioOptions?: ScenarioOptions;
  /** Source addresses to rotate over (by VU index); empty lets the kernel choose. */
  localAddresses: string[];
  wsOptions: ClientOptions;
  /** Each connection's HTTP proxy (lib/node/proxy-route.ts); undefined: all direct. */
  proxy?: ProxyResolver;
}

/**
 * Runs one share of a scenario: starts and stops VUs on the planned schedule, then drains
 * (in-flight connects and pings get their timeouts) and closes every connection cleanly.
 */
export class Executor implements VuHost {
  readonly meter = new Meter();
  readonly options: ResolvedOptions;
  readonly settings;
  readonly hooks: ScenarioHooks;
  private readonly events: VuEvent[];
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly vus = new Map<number, NodeVu>();
  private readonly live = new Set<NodeSocket>();
  readonly plannedStarts: number;
  readonly endMs: number;
  /** Connections open when the schedule ended, before the runner closed them. */
  finalOpen: number | undefined;
  /** Wall-clock ms when the last measurement settled (after the drain, before closing): the run's measured end. */
  measuredEndWall: number | undefined;
  private stopped = false;
  /** Monotonic time (performance.now()) at which the run's clock reads 0. */
  private t0 = 0;

  constructor(private readonly cfg: ExecutorConfig) {
    this.options = cfg.options;
    this.settings = {
      connectTimeoutMs: cfg.options.connectTimeoutMs,
      handshakeTimeoutMs: cfg.options.handshakeTimeoutMs,
      maxMessageBytes: cfg.options.maxMessageBytes,
      pongTimeoutMs: cfg.options.pongTimeoutMs,
      pingType: cfg.options.pingType,
      wsOptions: cfg.wsOptions,
      proxy: cfg.proxy,
      compression: cfg.options.compression,
      client: clientFor(cfg.options.transport, cfg.options.compression),
    };
    this.hooks = hooksOf(cfg.scenarioOptions);
    const stages = planStages(cfg.options.stages);
    this.events = planVuEvents(stages, cfg.share);
    this.plannedStarts = this.events.reduce((n, e) => n + (e.kind === 'start' ? 1 : 0), 0);
    this.endMs = totalDurationMs(stages);
  }

  /**
   * The source address of a VU: this generator's VUs (global indices i, i+n, i+2n, ... of segment i/n)
   * in turn over its addresses, so that every address carries an even share whatever n is.
   */
  localAddressFor(vu: number): string | undefined {
    const a = this.cfg.localAddresses;
    return a.length === 0 ? undefined : a[Math.floor(vu / this.cfg.share.segment.count) % a.length];
  }

  socketCreated(s: NodeSocket): void {
    this.live.add(s);
  }

  socketDone(s: NodeSocket): void {
    this.live.delete(s);
  }

  setStart(t0: number): void {
    this.t0 = t0;
  }

  /** Milliseconds on the run's clock. */
  elapsed(): number {
    return performance.now() - this.t0;
  }

  /** Starts the schedule; resolves when the last stage ends (or `stop()` is called). */
  run(): Promise<void> {
    // pings past their pong timeout count as lost now, not at the next ping (live pong rate)
    const sweep = setInterval(() => {
      const now = performance.now();
      for (const s of this.live) s.expirePings(now);
    }, 1000);
    return new Promise<void>((resolve) => {
      const tick = (): void => {
        if (this.stopped) return resolve();
        const now = this.elapsed();
        while (this.next < this.events.length && (this.events[this.next] as VuEvent).atMs <= now) {
          const e = this.events[this.next++] as VuEvent;
          if (e.kind === 'start') this.startVu(e, now);
          else if (e.kind === 'depart') this.departVu(e, now);
          else this.stopVu(e.vu);
        }
        if (now >= this.endMs) return resolve();
        const due = this.next < this.events.length ? Math.min((this.events[this.next] as VuEvent).atMs, this.endMs) : this.endMs;
        this.timer = setTimeout(tick, Math.max(0, due - this.elapsed()));
      };
      this.finish = resolve;
      tick();
    }).finally(() => clearInterval(sweep));
  }

  private finish: (() => void) | undefined;

  /** Ends the schedule now (interrupt). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.finish?.();
  }

  private startVu(e: VuEvent, now: number): void {
    this.meter.trend(M.scheduleLag, Math.max(0, now - e.atMs));
    this.meter.add(M.vusStarted);
    const vu = new NodeVu(e.vu, this);
    this.vus.set(e.vu, vu);
    if (e.arrival) {
      this.meter.add(M.vusArrived);
      this.arrivedAt.set(e.vu, now);
    }
    runVuFunction(this.cfg.vuFn, vu);
  }

  /** When each arriving VU still alive started, on the run's clock. */
  private readonly arrivedAt = new Map<number, number>();

  /** An arriving VU's lifetime is over: its onStop, then its sockets close with 1000; it lived from its start to now. */
  private departVu(e: VuEvent, now: number): void {
    const id = e.vu;
    const vu = this.vus.get(id);
    const at = this.arrivedAt.get(id);
    if (!vu || at === undefined) return;
    this.meter.trend(M.scheduleLag, Math.max(0, now - e.atMs)); // how late it left, as a start's lag: lifetimes are exact to it
    // a lifetime shorter than its connect: the attempt settles first (the run's end closes it if that comes sooner)
    vu.afterAttempts(() => {
      if (this.vus.get(id) !== vu) return;
      this.vus.delete(id);
      this.arrivedAt.delete(id);
      this.meter.add(M.vusDeparted);
      this.meter.add(M.vusStopped); // the schedule ended it: started − stopped stays the VUs running
      this.meter.trend(M.sessionLifetime, Math.max(now, this.elapsed()) - at);
      vu.stopTimers();
      vu.closeSockets('lifetime ended');
    });
  }

  private stopVu(id: number): void {
    const vu = this.vus.get(id);
    if (!vu) return;
    this.vus.delete(id);
    this.meter.add(M.vusStopped);
    vu.stopTimers();
    vu.closeSockets();
  }

  /** After the schedule: the drain rule of lib/core/drain.ts, then every connection is closed with code 1000. */
  async drainAndClose(graceful: boolean): Promise<void> {
    for (const vu of this.vus.values()) vu.stopTimers();
    if (graceful) {
      const deadline = performance.now() + drainMs(this.options);
      while (performance.now() < deadline && this.busy()) await sleep(20);
    }
    // open at the run's measured end: attempts still in flight when the schedule ended (a loaded
    // machine starts them late) have settled, so that final = succeeded - disconnected
    this.finalOpen = this.meter.open;
    for (const s of this.live) {
      if (graceful) s.expirePings(performance.now());
      else s.abandonPings();
    }
    this.measuredEndWall = Date.now();
    for (const vu of this.vus.values()) vu.closeSockets();
    for (const s of this.live) s.leave(1000, 'run ended');
    const deadline = performance.now() + CLOSE_HANDSHAKE_MS;
    while (this.live.size > 0 && performance.now() < deadline) await sleep(20);
    for (const s of this.live) s.terminate();
    while (this.live.size > 0 && performance.now() < deadline + CLOSE_FORCE_MS) await sleep(10);
  }

  /** Attempts in flight, or pings still within their pong timeout (those past it count as lost now). */
  private busy(): boolean {
    const now = performance.now();
    let busy = false;
    for (const s of this.live) {
      s.expirePings(now);
      if (s.inFlight) busy = true;
    }
    return busy;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
