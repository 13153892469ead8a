import { performance } from 'node:perf_hooks';
import type { Recorder } from '../core/recorder';
import { scenarioErrorClass, VuBook } from '../core/vu-book';
import type { ConnectParams, Counter, Rate, ResolvedOptions, Socket, Trend, VuContext } from '../scenario/types';
import { ScenarioHooks, vuConnection } from '../core/vu-connection';
import type { Meter } from './meter';
import { NodeSocket, SocketOwner, SocketSettings } from './socket';
import { readPlanFor } from '../options/flow-options';
import { WheelEntry, workerWheel } from './interval-wheel';

export { OTHER_SCENARIO_ERRORS } from '../core/vu-book';

const CONNECTING = 0;

/** What a worker shares with all its VUs. */
export interface VuHost {
  meter: Meter;
  options: ResolvedOptions;
  settings: SocketSettings;
  /** Function forms of the scenario's `tokens` and `headers`. */
  hooks?: ScenarioHooks;
  /** Source address for a VU's connections, or undefined to let the kernel choose. */
  localAddressFor(vu: number): string | undefined;
  /** Called for each socket that finished (closed or failed). */
  socketDone(s: NodeSocket): void;
  socketCreated(s: NodeSocket): void;
}

/**
 * The Node implementation of the VU context: sockets on the worker's client (`ws` by default),
 * timers cleared when the VU ends. Scenario errors follow the rule of lib/core/vu-book.ts.
 */
export class NodeVu extends VuBook implements VuContext, SocketOwner {
  /** The VU's live sockets: most VUs hold one at a time, kept in a field; a Set only from the second (memory at 100K VUs). */
  private socket: NodeSocket | undefined;
  private moreSockets: Set<NodeSocket> | undefined;
  private timers: Set<NodeJS.Timeout | WheelEntry> | undefined;
  private ended = false;

  constructor(readonly id: number, private readonly host: VuHost) {
    super();
  }

  protected get rec(): Recorder {
    return this.host.meter;
  }

  protected printError(line: string): void {
    process.stderr.write(`${line}\n`);
  }

  get options(): ResolvedOptions {
    return this.host.options;
  }

  /** Opens a socket to `url` (default: the target), placeholders `${vu}`/`${token}` expanded, default headers added. */
  connect(url?: string, params?: ConnectParams): Socket {
    const c = vuConnection(this.host.options, this.host.hooks, this.id, url, params);
    const plan = readPlanFor(this.host.options, this.id); // a slow or stalled reader (docs/slow-readers.md)
    const s = new NodeSocket(c.url, c.params, this.host.localAddressFor(this.id), this.host.meter, this.host.settings, this, plan);
    if (!this.socket) this.socket = s;
    else (this.moreSockets ??= new Set()).add(s);
    this.host.socketCreated(s);
    if (this.ended) s.close();
    return s;
  }

  socketDone(s: NodeSocket): void {
    if (this.socket === s) this.socket = undefined;
    else this.moreSockets?.delete(s);
    this.host.socketDone(s);
  }

  /** A departure waiting for an attempt in flight (`afterAttempts`); the worker's end-of-run drain polls its sockets instead. */
  private pending: (() => void) | undefined;

  /**
   * Runs `fn` once no socket of this VU is connecting: at once when none is, else when its last
   * attempt opened or failed (after the scenario's own listeners of that event). An arriving VU's
   * departure waits so, so that every arrival's attempt counts as opened or failed, never cut short.
   */
  afterAttempts(fn: () => void): void {
    if (this.connecting(undefined)) this.pending = fn;
    else fn();
  }

  settled(s: NodeSocket): void {
    const fn = this.pending;
    if (!fn || this.connecting(s)) return;
    this.pending = undefined;
    setImmediate(fn);
  }

  private connecting(except: NodeSocket | undefined): boolean {
    if (this.socket && this.socket !== except && this.socket.readyState === CONNECTING) return true;
    if (this.moreSockets) for (const s of this.moreSockets) if (s !== except && s.readyState === CONNECTING) return true;
    return false;
  }

  setInterval(fn: () => void, ms: number): unknown {
    if (this.ended) return undefined;
    const t = setInterval(() => this.guarded(fn), ms);
    (this.timers ??= new Set()).add(t);
    return t;
  }

  /** On the worker's shared wheel (lib/node/interval-wheel.ts): one timer per interval for all VUs, each run's phase kept. */
  setSharedInterval(fn: () => void, ms: number): unknown {
    if (!(ms >= 1)) return this.setInterval(fn, ms);
    if (this.ended) return undefined;
    const e = workerWheel.add(() => this.guarded(fn), ms);
    (this.timers ??= new Set()).add(e);
    return e;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    if (this.ended) return undefined;
    const t: NodeJS.Timeout = setTimeout(() => {
      this.timers?.delete(t);
      this.guarded(fn);
    }, ms);
    (this.timers ??= new Set()).add(t);
    return t;
  }

  clearTimer(handle: unknown): void {
    const t = handle as NodeJS.Timeout | WheelEntry;
    stop(t);
    this.timers?.delete(t);
  }

  now(): number {
    return performance.now();
  }

  wallNow(): number {
    return performance.timeOrigin + performance.now();
  }

  // the worker's own recorders, shared by its VUs (lib/node/meter.ts): no closure per VU and name
  counter(name: string): Counter {
    return this.host.meter.counter(name);
  }

  trend(name: string): Trend {
    return this.host.meter.trendOf(name);
  }

  rate(name: string): Rate {
    return this.host.meter.rateOf(name);
  }

  failure(kind: string): void {
    this.rec.error(kind);
  }

  /** Runs the `onStop` callbacks, then stops timers; sockets stay open until `closeSockets` so that pending pongs can drain. */
  stopTimers(): void {
    if (!this.ended) this.runStops();
    this.ended = true;
    if (this.timers) for (const t of this.timers) stop(t);
    this.timers = undefined;
  }

  closeSockets(reason = 'run ended'): void {
    const all = this.moreSockets ? [...this.moreSockets] : [];
    if (this.socket) all.push(this.socket);
    for (const s of all) s.leave(1000, reason);
  }
}

function stop(t: NodeJS.Timeout | WheelEntry): void {
  if (t instanceof WheelEntry) t.cancel();
  else clearTimeout(t);
}

/** A scenario error outside any VU (a promise nobody awaited): printed within the cap; returns its class. */
export function reportScenarioError(err: unknown): string {
  return scenarioErrorClass(err, (line) => process.stderr.write(`${line}\n`));
}
