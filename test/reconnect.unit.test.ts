import { backoffMs, ReconnectingSocket, resolveReconnect } from '../lib/helpers/reconnect';
import { RecoveryEvent, setRunClock } from '../lib/core/run-clock';
import type { Socket, SocketEvent, SocketEventMap, VuContext } from '../lib/scenario/types';

/** Reconnect with backoff (pure lib code), on a VU context with a hand-driven clock. */

class FakeSocket implements Socket {
  readyState = 0;
  listeners: { [K in SocketEvent]?: Array<(e: SocketEventMap[K]) => void> } = {};
  closedByUs = false;
  addEventListener<K extends SocketEvent>(event: K, fn: (e: SocketEventMap[K]) => void): void {
    ((this.listeners[event] ??= []) as Array<(e: SocketEventMap[K]) => void>).push(fn);
  }
  fire<K extends SocketEvent>(event: K, e: SocketEventMap[K]): void {
    this.readyState = event === 'open' ? 1 : event === 'close' ? 3 : this.readyState;
    for (const fn of (this.listeners[event] ?? []) as Array<(e: SocketEventMap[K]) => void>) fn(e);
  }
  send(): void {}
  ping(): void {}
  close(): void {
    this.closedByUs = true;
    this.fire('close', { type: 'close', code: 1000, reason: '' });
  }
  readonly protocol = '';
  setHeartbeat(): void {}
  fail(): void {
    this.close();
  }
}

/** A VU whose timers run when the test advances the clock; it ends like a real VU (timers stop). */
function fakeVu() {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void }> = [];
  const counters: Record<string, number> = {};
  const trends: Record<string, number[]> = {};
  const sockets: FakeSocket[] = [];
  let ended = false;
  const vu = {
    id: 0,
    connect: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    setTimeout: (fn: () => void, ms: number) => {
      if (ended) return undefined;
      const t = { at: now + ms, fn };
      timers.push(t);
      return t;
    },
    setInterval: () => undefined,
    clearTimer: () => undefined,
    counter: (name: string) => ({ add: (v = 1) => void (counters[name] = (counters[name] ?? 0) + v) }),
    trend: (name: string) => ({ add: (ms: number) => void (trends[name] ??= []).push(ms) }),
    now: () => now,
  } as unknown as VuContext;
  const advance = (ms: number): void => {
    now += ms;
    const due = timers.filter((t) => t.at <= now);
    timers = timers.filter((t) => t.at > now);
    for (const t of due) t.fn();
  };
  return { vu, sockets, counters, trends, advance, end: () => ((ended = true), (timers = [])) };
}

const drop = (s: FakeSocket | undefined): void => s?.fire('close', { type: 'close', code: 1006, reason: '' });

describe('reconnect with backoff', () => {
  const cfg = resolveReconnect({ initialDelay: '1s', maxDelay: '5s', factor: 2, jitter: 0 })!;

  test('backoff doubles per failed retry up to maxDelay; jitter takes up to its share off', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(cfg, n, 0))).toEqual([1000, 2000, 4000, 5000, 5000]);
    const jittered = { ...cfg, jitter: 0.5 };
    expect(backoffMs(jittered, 1, 0)).toBe(1000);
    expect(backoffMs(jittered, 1, 0.999)).toBeCloseTo(500.5, 5);
  });

  test('defaults: 1 s, doubling, up to 30 s, half of it random, never giving up', () => {
    expect(resolveReconnect(true)).toEqual({ initialDelayMs: 1000, maxDelayMs: 30_000, factor: 2, jitter: 0.5 });
    expect(resolveReconnect(false)).toBeUndefined();
  });

  test('a drop opens a new socket after the backoff; failed retries wait longer; an open resets the wait', () => {
    const { vu, sockets, counters, advance } = fakeVu();
    const rs = new ReconnectingSocket(vu, () => vu.connect(), cfg);
    const seen: string[] = [];
    rs.addEventListener('open', () => seen.push('open'));
    rs.addEventListener('close', (e) => seen.push(`close ${e.code}`));
    sockets[0]!.fire('open', { type: 'open' });
    drop(sockets[0]);
    advance(999);
    expect(sockets).toHaveLength(1);
    advance(1);
    expect(sockets).toHaveLength(2); // retry 1 after 1 s
    drop(sockets[1]); // the retry fails (never opened)
    advance(1999);
    expect(sockets).toHaveLength(2);
    advance(1);
    expect(sockets).toHaveLength(3); // retry 2 after 2 s
    sockets[2]!.fire('open', { type: 'open' });
    drop(sockets[2]);
    advance(1000);
    expect(sockets).toHaveLength(4); // open again: back to 1 s
    expect(counters.ws_reconnects).toBe(3);
    expect(seen).toEqual(['open', 'close 1006', 'close 1006', 'open', 'close 1006']);
    expect(rs.readyState).toBe(0);
  });

  test('close() stops it for good; maxRetries gives up; an ended VU schedules nothing', () => {
    const a = fakeVu();
    const closed = new ReconnectingSocket(a.vu, () => a.vu.connect(), cfg);
    closed.close();
    a.advance(60_000);
    expect(a.sockets).toHaveLength(1);

    const b = fakeVu();
    new ReconnectingSocket(b.vu, () => b.vu.connect(), { ...cfg, maxRetries: 2 });
    for (let i = 0; i < 5; i++) {
      drop(b.sockets[b.sockets.length - 1]);
      b.advance(60_000);
    }
    expect(b.sockets).toHaveLength(3); // the first and 2 retries
    expect(b.counters.ws_reconnects).toBe(2);

    const c = fakeVu();
    new ReconnectingSocket(c.vu, () => c.vu.connect(), cfg);
    c.end();
    drop(c.sockets[0]);
    c.advance(60_000);
    expect(c.sockets).toHaveLength(1);
  });

  test('a listener that throws on close does not stop the reconnecting', () => {
    const { vu, sockets, advance } = fakeVu();
    const rs = new ReconnectingSocket(vu, () => vu.connect(), cfg);
    rs.addEventListener('close', () => {
      throw new Error('scenario bug');
    });
    expect(() => drop(sockets[0])).toThrow('scenario bug');
    advance(1000);
    expect(sockets).toHaveLength(2);
  });

  test('recovery: downtime from the drop to the open, failed retries by class, reconnect latency; keyed by the drop second', () => {
    const { vu, sockets, counters, trends, advance } = fakeVu();
    new ReconnectingSocket(vu, () => vu.connect(), cfg);
    sockets[0]!.fire('open', { type: 'open' });
    const booked: RecoveryEvent[] = [];
    const clock = { sec: 7, recovery: (e: RecoveryEvent) => booked.push(e) };
    setRunClock(clock);
    try {
      drop(sockets[0]); // dropped in second 7 of the run
      clock.sec = 8;
      advance(1000);
      sockets[1]!.fire('error', { type: 'error', error: 'HTTP 503' });
      sockets[1]!.fire('close', { type: 'close', code: 1006, reason: '' }); // refused
      advance(2000);
      advance(30); // the second retry takes 30 ms to open
      sockets[2]!.fire('open', { type: 'open' });
    } finally {
      setRunClock(undefined);
    }
    expect(trends.ws_reconnect_downtime).toEqual([3030]);
    expect(trends.ws_reconnect_connecting).toEqual([30]);
    expect(counters.ws_reconnect_failures).toBe(1);
    const of = (what: RecoveryEvent['what']): RecoveryEvent[] => booked.filter((e) => e.what === what);
    expect(booked.every((e) => e.dropSec === 7)).toBe(true);
    expect(of('downtime').map((e) => 'ms' in e && e.ms)).toEqual([3030]);
    expect(of('connecting').map((e) => 'ms' in e && e.ms)).toEqual([30]);
    expect(of('attempt')).toHaveLength(2);
    expect(of('failed')).toEqual([{ dropSec: 7, what: 'failed', cls: 'HTTP 503' }]);
  });

  test('a first connect that fails and its retries are no recovery; a retry cut short by the end of the VU is no failure', () => {
    const a = fakeVu();
    new ReconnectingSocket(a.vu, () => a.vu.connect(), cfg);
    drop(a.sockets[0]); // never opened
    a.advance(1000);
    a.sockets[1]!.fire('open', { type: 'open' });
    expect(a.trends.ws_reconnect_downtime).toBeUndefined();
    expect(a.counters.ws_reconnect_failures).toBeUndefined();

    const b = fakeVu();
    new ReconnectingSocket(b.vu, () => b.vu.connect(), cfg);
    b.sockets[0]!.fire('open', { type: 'open' });
    drop(b.sockets[0]);
    b.advance(1000);
    b.end();
    drop(b.sockets[1]); // the runner ended the VU while its retry was connecting
    expect(b.counters.ws_reconnect_failures).toBeUndefined();
  });
});
