import type { FaultOptions, FaultServer } from './fault-server';
import type { PingType, ResolvedOptions, Socket, VuContext } from '../lib/scenario/types';

/**
 * One table of connection cases, run against BOTH engine adapters (test/engine-node.test.ts on
 * `ws`, test/engine-k6.test.ts on the k6 WebSocket double of test/k6-sandbox.ts), each against a
 * real loopback fault server. Both must give these exact counts: the bookkeeping is lib/core's,
 * the adapters only translate their transport's events.
 */

export type Engine = 'node' | 'k6';

/** What a case reads back from an engine, after the case ran. */
export interface EngineCounts {
  attempts: number;
  sessions: number;
  aborted: number;
  /** Failed attempts by class (scenario-error classes left out: k6 has no class list for them). */
  errors: Record<string, number>;
  disconnects: Record<string, number>;
  pings: number;
  pongs: number;
  pongRate: { ok: number; lost: number };
  vusFailed: number;
  callbackErrors: number;
  sendBufferFull: number;
}

export interface CaseSettings {
  connectTimeoutMs?: number;
  pongTimeoutMs?: number;
  pingType?: PingType;
}

/** An engine, as a case drives it. */
export interface EngineDriver {
  readonly engine: Engine;
  /** A fresh VU (and fresh counters) for one case; `options` as the runner resolves them (target, timeouts, ping type). */
  vu(options: ResolvedOptions): VuContext;
  counts(): EngineCounts;
  /** Lets `ms` pass on the engine's timers and its sockets' I/O (k6: the double's virtual clock moves with real time). */
  elapse(ms: number): Promise<void>;
  /** Pings of `s` still waiting count as lost now (as the runner's sweep does once their timeout passed). */
  expireAll(s: Socket): void;
  /** Ends what the case left open. */
  cleanup(): void;
}

export interface Ctx {
  drv: EngineDriver;
  vu: VuContext;
  server: FaultServer;
  /** Polls until `pred` holds, letting time pass on the engine between polls (at most ~10 s of real time). */
  until(pred: () => boolean, what: string): Promise<void>;
}

export interface EngineCase {
  name: string;
  server: FaultOptions;
  settings?: CaseSettings;
  /** Connect to a port where nothing listens. */
  refused?: boolean;
  run(c: Ctx): Promise<void>;
  expect: Partial<EngineCounts>;
  /** What differs on k6 (its errors carry less: no HTTP status on a refused upgrade). */
  k6?: Partial<EngineCounts>;
}

const NONE = { errors: {}, disconnects: {}, aborted: 0, vusFailed: 0, callbackErrors: 0, sendBufferFull: 0 };

/** Becomes true when `s` emits `event`. */
function seen(s: Socket, event: 'open' | 'close'): { done: boolean } {
  const state = { done: false };
  s.addEventListener(event, () => void (state.done = true));
  return state;
}
const closed = (s: Socket): { done: boolean } => seen(s, 'close');
const opened = (s: Socket): { done: boolean } => seen(s, 'open');

export const CASES: EngineCase[] = [
  {
    name: 'opens, 3 pings all answered, closed by us: one session, no disconnect',
    server: {},
    async run({ drv, vu, until }) {
      const s = vu.connect();
      const o = opened(s);
      const c = closed(s);
      await until(() => o.done, 'open');
      for (let i = 0; i < 3; i++) s.ping();
      await until(() => drv.counts().pongs === 3, '3 pongs');
      s.close();
      await until(() => c.done, 'close');
    },
    expect: { ...NONE, attempts: 1, sessions: 1, pings: 3, pongs: 3, pongRate: { ok: 3, lost: 0 } },
  },
  {
    name: 'upgrade rejected with 503: one failed attempt, no session',
    server: { rejectEvery: { k: 1, status: 503 } },
    async run({ vu, until }) {
      const c = closed(vu.connect());
      await until(() => c.done, 'close');
    },
    expect: { ...NONE, attempts: 1, sessions: 0, errors: { 'HTTP 503': 1 }, pings: 0, pongs: 0 },
    // gorilla/websocket (and so k6) gives a refused upgrade no status: "websocket: bad handshake"
    k6: { errors: { 'bad handshake': 1 } },
  },
  {
    name: 'nothing listens: ECONNREFUSED',
    server: {},
    refused: true,
    async run({ vu, until }) {
      const c = closed(vu.connect());
      await until(() => c.done, 'close');
    },
    expect: { ...NONE, attempts: 1, sessions: 0, errors: { ECONNREFUSED: 1 } },
  },
  {
    name: 'the server never answers the upgrade: one timeout',
    server: { neverAnswer: true },
    settings: { connectTimeoutMs: 300 },
    async run({ drv, vu, until }) {
      vu.connect();
      await until(() => Object.keys(drv.counts().errors).length > 0, 'failure');
    },
    expect: { ...NONE, attempts: 1, sessions: 0, errors: { timeout: 1 } },
  },
  {
    name: 'the server closes with 4001: one disconnect "close 4001"',
    server: { closeEvery: { k: 1, afterMs: 20, code: 4001 } },
    async run({ vu, until }) {
      const c = closed(vu.connect());
      await until(() => c.done, 'close');
    },
    expect: { ...NONE, attempts: 1, sessions: 1, disconnects: { 'close 4001': 1 } },
  },
  {
    name: 'the server drops the connection without a close frame: "1006 abnormal closure"',
    server: { closeEvery: { k: 1, afterMs: 20, abrupt: true } },
    async run({ vu, until }) {
      const c = closed(vu.connect());
      await until(() => c.done, 'close');
    },
    expect: { ...NONE, attempts: 1, sessions: 1, disconnects: { '1006 abnormal closure': 1 } },
  },
  {
    name: 'protocol pings, every 2nd answered: 4 sent, 2 pongs, 2 lost',
    server: { pongEvery: 2 },
    async run({ drv, vu, until, server }) {
      const s = vu.connect();
      const o = opened(s);
      await until(() => o.done, 'open');
      for (let i = 0; i < 4; i++) s.ping();
      await until(() => server.counts.pings === 4 && drv.counts().pongs === 2, '2 pongs');
      drv.expireAll(s);
      s.close();
    },
    expect: { ...NONE, attempts: 1, sessions: 1, pings: 4, pongs: 2, pongRate: { ok: 2, lost: 2 } },
  },
  {
    name: 'app pings, every 2nd answered: 4 sent, 2 pongs, 2 lost, no pong counted as a message',
    server: { pongEvery: 2 },
    settings: { pingType: 'app' },
    async run({ drv, vu, until, server }) {
      const s = vu.connect();
      const o = opened(s);
      let messages = 0;
      s.addEventListener('message', () => void messages++);
      await until(() => o.done, 'open');
      for (let i = 0; i < 4; i++) s.ping();
      await until(() => server.counts.appPings === 4 && drv.counts().pongs === 2, '2 pongs');
      drv.expireAll(s);
      if (messages !== 0) throw new Error(`${messages} app pongs reached the message listener`);
      s.close();
    },
    expect: { ...NONE, attempts: 1, sessions: 1, pings: 4, pongs: 2, pongRate: { ok: 2, lost: 2 } },
  },
  {
    name: 'pings still waiting when the server closes are lost',
    server: { pongEvery: 1000, closeEvery: { k: 1, afterMs: 150, code: 4000 } },
    async run({ vu, until }) {
      const s = vu.connect();
      const o = opened(s);
      const c = closed(s);
      await until(() => o.done, 'open');
      s.ping();
      s.ping();
      await until(() => c.done, 'close');
    },
    expect: { ...NONE, attempts: 1, sessions: 1, pings: 2, pongs: 0, pongRate: { ok: 0, lost: 2 }, disconnects: { 'close 4000': 1 } },
  },
  {
    name: 'listeners throw: the first error fails the VU, the next counts as a callback error, the connection stays',
    server: { sendOnOpen: 'hello' },
    async run({ drv, vu, until }) {
      const s = vu.connect();
      s.addEventListener('open', () => {
        throw new Error('boom in open');
      });
      s.addEventListener('message', (e) => {
        JSON.parse(String(e.data));
      });
      const c = closed(s);
      await until(() => drv.counts().callbackErrors === 1, 'second error');
      s.close();
      await until(() => c.done, 'close');
    },
    expect: { ...NONE, attempts: 1, sessions: 1, vusFailed: 1, callbackErrors: 1 },
  },
  {
    name: 'a timer callback throws twice: one failed VU, one callback error',
    server: {},
    async run({ drv, vu, until }) {
      let n = 0;
      const t = vu.setInterval(() => {
        if (++n <= 2) throw new Error('tick failed');
      }, 20);
      await until(() => drv.counts().callbackErrors === 1, 'second throw');
      vu.clearTimer(t);
    },
    expect: { ...NONE, attempts: 0, sessions: 0, vusFailed: 1, callbackErrors: 1 },
  },
  {
    name: 'send and ping while connecting and after close are ignored, never thrown',
    server: { upgradeDelayMs: 50, closeEvery: { k: 1, afterMs: 20, code: 4000 } },
    async run({ vu, until }) {
      const s = vu.connect();
      const c = closed(s);
      s.send('too early');
      s.ping();
      await until(() => c.done, 'close');
      s.send('too late');
      s.ping();
      s.close();
    },
    expect: { ...NONE, attempts: 1, sessions: 1, pings: 0, pongs: 0, disconnects: { 'close 4000': 1 } },
  },
  {
    name: 'closed by the runner while connecting: aborted, neither a session nor a failure',
    server: { upgradeDelayMs: 100 },
    async run({ drv, vu, until }) {
      const s = vu.connect();
      s.close();
      await until(() => drv.counts().aborted === 1, 'abort');
    },
    expect: { ...NONE, attempts: 1, sessions: 0, aborted: 1 },
  },
];
