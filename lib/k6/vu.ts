import { clearInterval, clearTimeout, setInterval, setTimeout } from 'k6/timers';
import { drainMs } from '../core/drain';
import type { Recorder } from '../core/recorder';
import { VuBook } from '../core/vu-book';
import { redactUrl } from '../core/redact';
import type { ConnectParams, Counter, Rate, ResolvedOptions, Socket, Trend, VuContext } from '../scenario/types';
import { ScenarioHooks, vuConnection } from '../core/vu-connection';
import { k6Clock } from './clock';
import { isLegacyBuild } from './legacy';
import type { K6Metrics } from './metrics';
import { K6Socket, K6SocketSettings } from './socket';

/**
 * The k6 implementation of the VU context: one k6 iteration is one wsbench VU's life. Sockets are
 * `k6/websockets`, timers `k6/timers` (both keep k6's event loop, and so the iteration, alive);
 * `finish()` at the end of the stages stops the timers, lets pending connects and pongs settle, then
 * closes every socket so that the iteration ends on its own within k6's gracefulStop. Scenario
 * errors follow the rule of lib/core/vu-book.ts, as on Node.
 */
export class K6Vu extends VuBook implements VuContext {
  // an array and a prototype-less object, not a Set and a Map: a k6 VU then never makes those globals
  // (bench/README.md "Cost per VU on k6"); loops that close sockets go over a copy
  readonly sockets: K6Socket[] = [];
  private readonly timers = Object.create(null) as Record<number, 'timeout' | 'interval'>;
  private readonly settings: K6SocketSettings;
  private ended = false;
  private drainTimer: number | undefined;
  private expiryTimer: number | undefined;
  /** Set while `depart()` waits for an attempt in flight: what to call once gone. */
  private gone: (() => void) | undefined;

  constructor(
    readonly id: number,
    readonly options: ResolvedOptions,
    private readonly metrics: K6Metrics,
    private readonly hooks: ScenarioHooks | undefined,
    /** `redactUrl(options.target)`, made once per test (lib/k6/prepare.ts): the name tag of `connect()` without a URL. */
    private readonly targetName: string,
  ) {
    super();
    this.settings = {
      connectTimeoutMs: options.connectTimeoutMs,
      pongTimeoutMs: options.pongTimeoutMs,
      pingType: options.pingType,
      compression: options.compression,
      legacyCloseEvents: isLegacyBuild(),
      clock: k6Clock(),
    };
  }

  protected get rec(): Recorder {
    return this.metrics;
  }

  /** k6 shows console.error in its log. */
  protected printError(line: string): void {
    console.error(line);
  }

  connect(url?: string, params?: ConnectParams): Socket {
    // the target template's ${vu} and ${token}, the options' headers and subprotocols: as on Node
    const c = vuConnection(this.options, this.hooks, this.id, url, params);
    const name = url === undefined ? this.targetName : redactUrl(url);
    const s = new K6Socket(c.url, c.params, { name }, this.metrics, this.settings, this);
    this.sockets.push(s);
    if (this.ended) s.close();
    return s;
  }

  setInterval(fn: () => void, ms: number): unknown {
    if (this.ended) return undefined;
    const id = setInterval(() => this.guarded(fn), ms);
    this.timers[id] = 'interval';
    return id;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    if (this.ended) return undefined;
    const id = setTimeout(() => {
      delete this.timers[id];
      this.guarded(fn);
    }, ms);
    this.timers[id] = 'timeout';
    return id;
  }

  clearTimer(handle: unknown): void {
    const id = handle as number;
    const kind = this.timers[id];
    if (kind === undefined) return;
    delete this.timers[id];
    if (kind === 'interval') clearInterval(id);
    else clearTimeout(id);
  }

  /** The finest clock k6 gives a script (lib/k6/clock.ts). */
  now(): number {
    return this.settings.clock();
  }

  /**
   * Whole milliseconds: k6 gives a script no finer wall clock (sobek's Date.now, and
   * exec.scenario.startTime, are whole ms), so delivery latency across VUs has 1 ms resolution on k6.
   */
  wallNow(): number {
    return Date.now();
  }

  // the scenario-facing recorders of k6 metrics (lib/k6/metrics.ts)
  counter(name: string): Counter {
    const m = this.metrics.metric(name, 'counter');
    return { add: (v = 1) => m.add(v) };
  }

  trend(name: string): Trend {
    const m = this.metrics.metric(name, 'trend');
    return { add: (ms: number) => m.add(ms) };
  }

  rate(name: string): Rate {
    const m = this.metrics.metric(name, 'rate');
    return { add: (ok: boolean) => m.add(ok) };
  }

  /** k6 has no list of failure classes (lib/k6/metrics.ts `error`): the count is in the scenario's own counters. */
  failure(): void {
    this.metrics.error();
  }

  /** End of the stages: `onStop` callbacks, then the drain rule of lib/core/drain.ts, as on Node: settle what is in flight (bounded), then close. */
  finish(): void {
    if (!this.ended) this.runStops();
    this.ended = true;
    this.clearTimers();
    this.drainTimer = setTimeout(() => this.closeAll(), drainMs(this.options));
    this.expire();
  }

  /**
   * An arriving VU's lifetime is over (docs/arrivals.md): `onStop`, then every socket closes with
   * 1000 at once, as on Node; then `gone`. A lifetime shorter than its connect lets the attempt
   * settle first (as lib/node/vu.ts `afterAttempts`).
   */
  depart(gone: () => void): void {
    this.gone = gone;
    for (const s of this.sockets) if (s.readyState === 0) return;
    this.leaveNow();
  }

  private clearTimers(): void {
    for (const key in this.timers) {
      const id = Number(key);
      if (this.timers[id] === 'interval') clearInterval(id);
      else clearTimeout(id);
      delete this.timers[id];
    }
  }

  private leaveNow(): void {
    const gone = this.gone;
    this.gone = undefined;
    if (!this.ended) this.runStops();
    this.ended = true;
    this.clearTimers();
    for (const s of this.sockets.slice()) s.close(1000, 'lifetime ended');
    gone?.();
  }

  /** Pings past their pong timeout count as lost now; the drain waits for the others until theirs. */
  private expire(): void {
    this.expiryTimer = undefined;
    const now = this.settings.clock();
    let next = Infinity;
    for (const s of this.sockets) {
      s.expirePings(now);
      const oldest = s.oldestPingAt;
      if (oldest !== undefined) next = Math.min(next, oldest + this.options.pongTimeoutMs - now);
    }
    if (next !== Infinity) this.expiryTimer = setTimeout(() => this.expire(), Math.max(0, next) + 1);
    this.settled();
  }

  settled(done?: unknown): void {
    if (this.gone) {
      for (const s of this.sockets) if (s !== done && s.readyState === 0) return;
      setTimeout(() => this.leaveNow(), 0); // after the scenario's own listeners of the open
      return;
    }
    if (this.drainTimer === undefined) return;
    for (const s of this.sockets) if (s.inFlight) return;
    this.closeAll();
  }

  socketDone(s: K6Socket): void {
    const i = this.sockets.indexOf(s);
    if (i >= 0) this.sockets.splice(i, 1);
    this.settled();
  }

  private closeAll(): void {
    if (this.drainTimer !== undefined) clearTimeout(this.drainTimer);
    if (this.expiryTimer !== undefined) clearTimeout(this.expiryTimer);
    this.drainTimer = undefined;
    this.expiryTimer = undefined;
    const now = this.settings.clock();
    for (const s of this.sockets.slice()) {
      s.expirePings(now);
      s.close(1000, 'run ended');
    }
  }
}
