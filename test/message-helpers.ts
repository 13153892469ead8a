import { mergeSnapshots, Registry } from '../lib/metrics/registry';
import type { ResolvedOptions, Socket, SocketEvent, SocketEventMap, VuContext } from '../lib/scenario/types';

/** A VU on a manual clock: timers fire only when the test advances time. Only the clock is mocked. */
export class FakeVu implements VuContext {
  readonly id = 0;
  t = 0;
  wall = 1_700_000_000_000;
  private seq = 0;
  readonly timers = new Map<number, { at: number; fn: () => void; every?: number }>();
  readonly reg = new Registry();
  readonly options = { pongTimeoutMs: 1000 } as ResolvedOptions;

  connect(): Socket {
    throw new Error('not used');
  }
  setInterval(fn: () => void, ms: number): unknown {
    this.timers.set(++this.seq, { at: this.t + ms, fn, every: ms });
    return this.seq;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    this.timers.set(++this.seq, { at: this.t + ms, fn });
    return this.seq;
  }
  clearTimer(h: unknown): void {
    this.timers.delete(h as number);
  }
  now(): number {
    return this.t;
  }
  wallNow(): number {
    return this.wall + this.t;
  }
  counter(name: string) {
    return { add: (v = 1) => this.reg.add(name, v) };
  }
  trend(name: string) {
    return { add: (ms: number) => this.reg.trend(name, ms) };
  }
  rate(name: string) {
    return { add: (ok: boolean) => this.reg.rate(name, ok) };
  }
  failure(kind: string): void {
    this.reg.error(kind);
  }
  readonly stops: Array<() => void> = [];
  onStop(fn: () => void): void {
    this.stops.push(fn);
  }
  /** Runs due timers in time order up to `to` (each at its own time, as a real clock would). */
  advanceTo(to: number): void {
    for (;;) {
      let next: [number, { at: number; fn: () => void; every?: number }] | undefined;
      for (const e of this.timers) if (e[1].at <= to && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      const [id, timer] = next;
      this.t = timer.at;
      if (timer.every !== undefined) timer.at += timer.every;
      else this.timers.delete(id);
      timer.fn();
    }
    this.t = to;
  }
  count(name: string): number {
    return this.reg.counters.get(name) ?? 0;
  }
}

export class FakeSocket implements Socket {
  readyState = 1;
  readonly sent: Array<string | ArrayBuffer | Uint8Array> = [];
  private readonly listeners: { [K in SocketEvent]?: Array<(e: SocketEventMap[K]) => void> } = {};
  addEventListener<K extends SocketEvent>(event: K, fn: (e: SocketEventMap[K]) => void): void {
    ((this.listeners[event] ??= []) as Array<(e: SocketEventMap[K]) => void>).push(fn);
  }
  emit<K extends SocketEvent>(event: K, e: SocketEventMap[K]): void {
    for (const fn of (this.listeners[event] ?? []) as Array<(e: SocketEventMap[K]) => void>) fn(e);
  }
  send(data: string | ArrayBuffer | Uint8Array): void {
    this.sent.push(data);
  }
  ping(): void {}
  close(): void {
    this.readyState = 3;
    this.emit('close', { type: 'close', code: 1000, reason: '' });
  }
  readonly protocol = '';
  /** The class of `fail()`, if called. */
  failedAs: string | undefined;
  setHeartbeat(): void {}
  fail(kind: string): void {
    this.failedAs = kind;
    this.close();
  }
}

export const trendValues = (vu: FakeVu, name: string): { count: number; min: number; max: number } => {
  const h = vu.reg.trends.get(name);
  return h ? { count: h.totalCount, min: h.minNonZeroValue / 1000, max: h.maxValue / 1000 } : { count: 0, min: 0, max: 0 };
};

/** What the coordinator does with the worker processes' snapshots. */
export const mergeOf = (...vus: FakeVu[]) => mergeSnapshots(vus.map((v) => v.reg.snapshot()));
