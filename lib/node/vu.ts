import { performance } from 'node:perf_hooks';
import type { ConnectParams, Counter, Rate, ResolvedOptions, Socket, Trend, VuContext } from '../types';
import type { Meter } from './meter';
import { NodeSocket, SocketSettings } from './socket';

/** What a worker shares with all its VUs. */
export interface VuHost {
  meter: Meter;
  options: ResolvedOptions;
  settings: SocketSettings;
  /** Source address for a VU's connections, or undefined to let the kernel choose. */
  localAddressFor(vu: number): string | undefined;
  /** Called for each socket that finished (closed or failed). */
  socketDone(s: NodeSocket): void;
  socketCreated(s: NodeSocket): void;
}

/** The Node implementation of the VU context: sockets on `ws`, timers cleared when the VU ends. */
export class NodeVu implements VuContext {
  readonly sockets = new Set<NodeSocket>();
  private timers: Set<NodeJS.Timeout> | undefined;
  private ended = false;

  constructor(readonly id: number, private readonly host: VuHost) {}

  get options(): ResolvedOptions {
    return this.host.options;
  }

  connect(url?: string, params?: ConnectParams): Socket {
    const s = new NodeSocket(
      url ?? this.host.options.target,
      params,
      this.host.localAddressFor(this.id),
      this.host.meter,
      this.host.settings,
      this.socketOnDone,
    );
    this.sockets.add(s);
    this.host.socketCreated(s);
    if (this.ended) s.close();
    return s;
  }

  private readonly socketOnDone = (s: NodeSocket): void => {
    this.sockets.delete(s);
    this.host.socketDone(s);
  };

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
        this.host.meter.add('vu_callback_errors');
        reportScenarioError(err);
      }
    };
  }
}

const reported = new Set<string>();

/** Prints a scenario's own error once (message and where it was thrown), never a runner stack. */
export function reportScenarioError(err: unknown): string {
  const e = err as Error;
  const where = scenarioFrame(e?.stack);
  const text = `scenario error: ${e?.message ?? String(err)}${where ? ` (${where})` : ''}`;
  if (!reported.has(text)) {
    reported.add(text);
    process.stderr.write(`${text}\n`);
  }
  return text;
}

function scenarioFrame(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?([^()\s]+\.(?:ts|js|mjs|cjs)):(\d+):(\d+)\)?$/.exec(line.trim());
    if (m && !/node_modules|node:|\/lib\/node\/|\/runner\//.test(m[1] as string)) return `${m[1]}:${m[2]}`;
  }
  return undefined;
}
