import { performance } from 'node:perf_hooks';
import { M } from '../metric-names';
import type { ConnectParams, Counter, Rate, ResolvedOptions, Socket, Trend, VuContext } from '../types';
import { ScenarioHooks, vuConnection } from '../vu-connection';
import type { Meter } from './meter';
import { NodeSocket, SocketOwner, SocketSettings } from './socket';

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

/** The Node implementation of the VU context: sockets on `ws`, timers cleared when the VU ends. */
export class NodeVu implements VuContext, SocketOwner {
  readonly sockets = new Set<NodeSocket>();
  private timers: Set<NodeJS.Timeout> | undefined;
  private ended = false;
  private failed = false;

  constructor(readonly id: number, private readonly host: VuHost) {}

  get options(): ResolvedOptions {
    return this.host.options;
  }

  /** Opens a socket to `url` (default: the target), placeholders `${vu}`/`${token}` expanded, default headers added. */
  connect(url?: string, params?: ConnectParams): Socket {
    const c = vuConnection(this.host.options, this.host.hooks, this.id, url, params);
    const s = new NodeSocket(c.url, c.params, this.host.localAddressFor(this.id), this.host.meter, this.host.settings, this);
    this.sockets.add(s);
    this.host.socketCreated(s);
    if (this.ended) s.close();
    return s;
  }

  socketDone(s: NodeSocket): void {
    this.sockets.delete(s);
    this.host.socketDone(s);
  }

  /**
   * The scenario threw (in the VU function, a timer or a socket listener): its own error is printed
   * once, the first error fails the VU (`vus.failed`, and a `scenario error: ...` class), later ones
   * count in `vu_callback_errors`. The VU's connections stay as they are: the run goes on.
   */
  scenarioError(err: unknown): void {
    const text = reportScenarioError(err);
    if (this.failed) {
      this.host.meter.add(M.callbackErrors);
      return;
    }
    this.failed = true;
    this.host.meter.add(M.vusFailed);
    this.host.meter.error(text);
  }

  setInterval(fn: () => void, ms: number): unknown {
    if (this.ended) return undefined;
    const t = setInterval(this.guard(fn), ms);
    (this.timers ??= new Set()).add(t);
    return t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    if (this.ended) return undefined;
    const guarded = this.guard(fn);
    const t: NodeJS.Timeout = setTimeout(() => {
      this.timers?.delete(t);
      guarded();
    }, ms);
    (this.timers ??= new Set()).add(t);
    return t;
  }

  clearTimer(handle: unknown): void {
    const t = handle as NodeJS.Timeout;
    clearTimeout(t);
    this.timers?.delete(t);
  }

  now(): number {
    return performance.now();
  }

  wallNow(): number {
    return performance.timeOrigin + performance.now();
  }

  counter(name: string): Counter {
    return { add: (v = 1) => this.host.meter.add(name, v) };
  }

  trend(name: string): Trend {
    return { add: (ms: number) => this.host.meter.trend(name, ms) };
  }

  rate(name: string): Rate {
    return { add: (ok: boolean) => this.host.meter.rate(name, ok) };
  }

  /** Stops timers; sockets stay open until `closeSockets` so that pending pongs can drain. */
  stopTimers(): void {
    this.ended = true;
    if (this.timers) for (const t of this.timers) clearTimeout(t);
    this.timers = undefined;
  }

  closeSockets(): void {
    for (const s of this.sockets) s.close(1000, 'run ended');
  }

  private guard(fn: () => void): () => void {
    return () => {
      try {
        fn();
      } catch (err) {
        this.scenarioError(err);
      }
    };
  }
}

const reported = new Set<string>();
/** Distinct scenario errors printed, and kept as classes, per worker: messages with a VU's id in them must not flood stderr or the summary. */
const MAX_DISTINCT = 20;
export const OTHER_SCENARIO_ERRORS = 'scenario error: other messages (only the first 20 distinct ones are printed)';

/** Prints a scenario's own error once (message and where it was thrown), never a runner stack; returns its class. */
export function reportScenarioError(err: unknown): string {
  const e = err as Error;
  const where = scenarioFrame(e?.stack);
  const text = `scenario error: ${String(e?.message ?? err).slice(0, 200)}${where ? ` (${where})` : ''}`;
  if (reported.has(text)) return text;
  if (reported.size >= MAX_DISTINCT) return OTHER_SCENARIO_ERRORS;
  reported.add(text);
  process.stderr.write(`${text}\n`);
  return text;
}

/** Frames of Node, packages and wsbench's own code (bundled into the scenario): not the scenario's line. */
const OURS = /node_modules|^node:|\/lib\/node\/|\/runner\/|\/lib\/(?:heartbeat|reconnect|vu-connection|messages|sequence|request|send-plan)\.ts$/;

function scenarioFrame(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?([^()\s]+\.(?:ts|js|mjs|cjs)):(\d+):(\d+)\)?$/.exec(line.trim());
    if (m && !OURS.test(m[1] as string)) return `${m[1]}:${m[2]}`;
  }
  return undefined;
}
