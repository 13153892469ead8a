import esbuild from 'esbuild';
import fs from 'node:fs';
import vm from 'node:vm';
import ts from 'typescript';
import WebSocket from 'ws';

/**
 * A stand-in for k6's JavaScript runtime, to run a k6 bundle without k6: a `vm` context holding
 * only the globals k6 offers, and the k6 modules as doubles that record every call. The WebSocket
 * double drives a REAL `ws` client (so a real loopback server sees the connection, its pings and
 * its close), and behaves as k6/websockets does where it matters: send/ping throw unless open,
 * close() on a connecting socket is refused (k6 would block its event loop), close codes are
 * checked, a close frame with an unusual code also reaches error listeners. Timers run on a
 * virtual clock that the test advances; Date.now() reads it.
 */

/** Globals k6 adds to the ECMAScript ones (k6 has no process, Buffer, require, URL or TextEncoder). */
export const K6_GLOBALS = ['__ENV', '__VU', '__ITER', 'console', 'open'];
/** What V8 puts in a bare context that k6's runtime (sobek) lacks. */
const NOT_IN_K6 = ['WebAssembly'];

export class VirtualClock {
  now = Date.UTC(2026, 0, 1);
  private seq = 0;
  private readonly timers = new Map<number, { due: number; fn: () => void; every?: number; ms: number }>();

  set(fn: () => void, ms: number, every: boolean): number {
    const id = ++this.seq;
    const delay = Math.max(0, Number(ms) || 0);
    this.timers.set(id, { due: this.now + delay, fn, every: every ? Math.max(1, delay) : undefined, ms: delay });
    return id;
  }

  clear(id: number): void {
    this.timers.delete(id);
  }

  /** Timers still pending (an iteration of k6 ends only when there are none, and no open socket). */
  get pending(): Array<{ id: number; ms: number; interval: boolean; due: number }> {
    return [...this.timers].map(([id, t]) => ({ id, ms: t.ms, interval: t.every !== undefined, due: t.due }));
  }

  /** Moves time forward, firing due timers in order (due time, then creation order), as k6's event loop. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let next: [number, { due: number; fn: () => void; every?: number }] | undefined;
      for (const e of this.timers) if (e[1].due <= end && (!next || e[1].due < next[1].due)) next = e;
      if (!next) break;
      const [id, t] = next;
      this.now = t.due;
      if (t.every !== undefined) t.due += t.every;
      else this.timers.delete(id);
      t.fn();
    }
    this.now = end;
  }
}

export interface Sample {
  metric: string;
  type: 'Counter' | 'Trend' | 'Rate' | 'Gauge';
  value: number | boolean;
  tags?: Record<string, string>;
}

type Listener = (e: Record<string, unknown>) => void;

/** What the WebSocket double saw: one entry per `new WebSocket(...)`. */
export interface SocketRecord {
  url: string;
  protocols: unknown;
  params: unknown;
  pings: number;
  sent: number;
  closeCalls: Array<{ code?: number; reason?: string }>;
  events: string[];
  double: { readyState: number };
}

const GO_DIAL: Array<[RegExp, (host: string) => string]> = [
  [/ECONNREFUSED/, (h) => `dial tcp ${h}: connect: connection refused`],
  [/ECONNRESET/, (h) => `read tcp ${h}: read: connection reset by peer`],
];

export interface SandboxOptions {
  env: Record<string, string>;
  clock?: VirtualClock;
  /** `exec.test.options`: what k6 runs. Default: the bundle's exported options, as `k6 run` without flags. */
  testOptions?: unknown;
  /** `exec.scenario.startTime`, shared by every VU of a test. Default: the clock's time at load. */
  scenarioStart?: number;
}

/** A k6 bundle loaded as k6 would: its init context runs once; `iteration()` runs the default function. */
export class K6Sandbox {
  readonly clock: VirtualClock;
  readonly samples: Sample[] = [];
  readonly declared: Array<{ name: string; type: string; isTime: boolean }> = [];
  readonly sockets: SocketRecord[] = [];
  readonly required: string[] = [];
  readonly logs: string[] = [];
  exports: { options?: unknown; default?: () => void } = {};
  private phase: 'init' | 'vu' = 'init';
  private vuId = 0;
  private readonly scenarioStart: number;
  private readonly context: vm.Context;
  private readonly live = new Set<WebSocket>();
  private readonly testOptions: unknown;

  private constructor(code: string, o: SandboxOptions) {
    this.clock = o.clock ?? new VirtualClock();
    this.testOptions = o.testOptions;
    this.scenarioStart = o.scenarioStart ?? this.clock.now;
    const log = (level: string) => (...args: unknown[]): void => void this.logs.push(`${level}: ${args.map(String).join(' ')}`);
    this.context = vm.createContext({
      __ENV: { ...o.env },
      __VU: 0,
      __ITER: 0,
      console: { log: log('log'), info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') },
      open: () => {
        throw new Error('open() is not used by wsbench bundles');
      },
    });
    (vm.runInContext('(function (now) { Date.now = now; })', this.context) as (f: () => number) => void)(() => this.clock.now);
    for (const g of NOT_IN_K6) vm.runInContext(`delete globalThis.${g}`, this.context);
    // k6 runs ES modules; esbuild rewrites the bundle's imports into calls of this `require` (a parameter, not a global)
    const cjs = esbuild.transformSync(code, { format: 'cjs', loader: 'js', target: 'esnext' }).code;
    const fn = new vm.Script(`(function (require, module, exports) {${cjs}\n})`, { filename: 'k6-bundle.js' }).runInContext(this.context) as (
      r: (id: string) => unknown, m: { exports: unknown }, e: unknown,
    ) => void;
    const module = { exports: {} as unknown };
    fn((id) => this.require(id), module, module.exports);
    this.exports = module.exports as K6Sandbox['exports'];
  }

  static load(file: string, o: SandboxOptions): K6Sandbox {
    return new K6Sandbox(fs.readFileSync(file, 'utf8'), o);
  }

  static fromCode(code: string, o: SandboxOptions): K6Sandbox {
    return new K6Sandbox(code, o);
  }

  /** Runs k6's default function as VU `idInTest` (1-based, as k6 counts). */
  iteration(idInTest: number): void {
    this.phase = 'vu';
    this.vuId = idInTest;
    this.context.__VU = idInTest;
    const run = this.exports.default;
    if (typeof run !== 'function') throw new Error('the bundle exports no default function');
    run();
  }

  /** Sum of a Counter's samples, optionally only those carrying `tags`. */
  count(metric: string, tags?: Record<string, string>): number {
    return this.of(metric, 'Counter', tags).reduce((n, s) => n + (s.value as number), 0);
  }

  rates(metric: string): boolean[] {
    return this.of(metric, 'Rate').map((s) => s.value as boolean);
  }

  trend(metric: string): number[] {
    return this.of(metric, 'Trend').map((s) => s.value as number);
  }

  /** Every tag set a metric was recorded with, as "k:v" strings. */
  tagsOf(metric: string): string[] {
    return this.samples.filter((s) => s.metric === metric).map((s) => Object.entries(s.tags ?? {}).map(([k, v]) => `${k}:${v}`).join(','));
  }

  private of(metric: string, type: Sample['type'], tags?: Record<string, string>): Sample[] {
    return this.samples.filter((s) => s.metric === metric && s.type === type && (!tags || Object.entries(tags).every(([k, v]) => s.tags?.[k] === v)));
  }

  /** Closes what the double still holds open (test cleanup). */
  destroy(): void {
    for (const ws of this.live) ws.terminate();
    this.live.clear();
  }

  private require(id: string): unknown {
    this.required.push(id);
    switch (id) {
      case 'k6/metrics':
        return this.metricsModule();
      case 'k6/timers':
      case 'k6/experimental/timers':
        return {
          setTimeout: (fn: () => void, ms: number) => this.clock.set(fn, ms, false),
          setInterval: (fn: () => void, ms: number) => this.clock.set(fn, ms, true),
          clearTimeout: (id: number) => this.clock.clear(id),
          clearInterval: (id: number) => this.clock.clear(id),
        };
      case 'k6/execution':
        return this.executionModule();
      case 'k6/websockets':
      case 'k6/experimental/websockets':
        return { WebSocket: this.webSocketClass() };
      default:
        throw new Error(`the bundle imports "${id}": k6 has no such module`);
    }
  }

  private metricsModule(): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- read inside classes and getters whose own `this` is another object
    const sandbox = this;
    const make = (type: Sample['type']) =>
      class {
        constructor(readonly name: string, isTime = false) {
          if (sandbox.phase !== 'init') throw new Error('metrics must be declared in the init context');
          sandbox.declared.push({ name, type, isTime });
        }

        add(value: number | boolean, tags?: Record<string, string>): void {
          if (sandbox.phase === 'init') throw new Error('Adding to metrics in the init context is not supported');
          sandbox.samples.push({ metric: this.name, type, value, tags: tags ? { ...tags } : undefined });
        }
      };
    return { Counter: make('Counter'), Trend: make('Trend'), Rate: make('Rate'), Gauge: make('Gauge') };
  }

  private runOptions(): unknown {
    return this.testOptions ?? this.exports.options ?? {};
  }

  private executionModule(): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- read inside classes and getters whose own `this` is another object
    const sandbox = this;
    const vuOnly = <T>(what: string, v: () => T): T => {
      if (sandbox.phase === 'init') throw new Error(`getting ${what} information in the init context is not supported`);
      return v();
    };
    return {
      get vu() {
        return vuOnly('VU', () => ({ idInTest: sandbox.vuId, idInInstance: sandbox.vuId, iterationInInstance: 0, iterationInScenario: 0 }));
      },
      get scenario() {
        return vuOnly('scenario', () => {
          const name = Object.keys((sandbox.runOptions() as { scenarios?: object }).scenarios ?? { default: 1 })[0];
          return { name, executor: 'ramping-vus', startTime: sandbox.scenarioStart, progress: 0, iterationInInstance: 0, iterationInTest: 0 };
        });
      },
      get test() {
        return { options: sandbox.runOptions(), abort: () => undefined, fail: () => undefined };
      },
    };
  }

  private webSocketClass(): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- read inside classes and getters whose own `this` is another object
    const sandbox = this;
    return class K6WebSocketDouble {
      static readonly CONNECTING = 0;
      static readonly OPEN = 1;
      static readonly CLOSING = 2;
      static readonly CLOSED = 3;
      readyState = 0;
      binaryType = 'blob';
      private readonly listeners = new Map<string, Listener[]>();
      private readonly real: WebSocket;
      private readonly rec: SocketRecord;

      constructor(url: string, protocols?: unknown, params?: { headers?: Record<string, string> } | null) {
        if (sandbox.phase === 'init') throw new Error('using websockets in the init context is not supported');
        if (!/^wss?:\/\//.test(String(url))) throw new Error(`WebSocket requires url with scheme ws or wss, but got "${String(url).split(':')[0]}"`);
        this.rec = { url, protocols, params, pings: 0, sent: 0, closeCalls: [], events: [], double: this };
        sandbox.sockets.push(this.rec);
        const list = Array.isArray(protocols) ? (protocols as string[]) : typeof protocols === 'string' ? [protocols] : undefined;
        this.real = new WebSocket(url, list, { headers: params?.headers ?? undefined, perMessageDeflate: false });
        sandbox.live.add(this.real);
        const host = new URL(url).host;
        let failure: string | undefined;
        let closeFrame: { code: number; reason: string } | undefined;
        this.real.on('open', () => {
          this.readyState = 1;
          this.dispatch('open', {});
        });
        this.real.on('error', (err: Error & { code?: string }) => {
          const text = `${err.code ?? ''} ${err.message}`;
          const go = GO_DIAL.find(([re]) => re.test(text));
          failure = go ? go[1](host) : /Unexpected server response/.test(err.message) ? 'websocket: bad handshake' : err.message;
        });
        this.real.on('close', (code: number, reason: Buffer) => {
          sandbox.live.delete(this.real);
          const wasOpen = this.readyState !== 0;
          this.readyState = 3;
          if (!wasOpen) {
            // a dial that failed: error listeners, then close listeners without a code (k6's order)
            this.dispatch('error', { error: failure ?? 'websocket: bad handshake' });
            this.dispatch('close', { reason: '' });
            return;
          }
          closeFrame = { code, reason: reason.toString() };
          // gorilla/websocket hands k6 a close error; k6 passes it to error listeners unless 1000/1001
          if (code !== 1000 && code !== 1001 && !this.rec.closeCalls.length) {
            this.dispatch('error', { error: `websocket: close ${code} (${code === 1006 ? 'abnormal closure' : 'private use'}): ${closeFrame.reason || 'unexpected EOF'}` });
          }
          this.dispatch('close', { code, reason: closeFrame.reason });
        });
        this.real.on('message', (data: Buffer, isBinary: boolean) => {
          if (this.readyState !== 1) return;
          const payload = isBinary
            ? this.binaryType === 'arraybuffer' ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : { blob: true }
            : data.toString();
          this.dispatch('message', { data: payload });
        });
        this.real.on('pong', () => this.dispatch('pong', {}));
      }

      get bufferedAmount(): number {
        return this.real.bufferedAmount;
      }

      addEventListener(event: string, fn: Listener): void {
        if (typeof fn !== 'function') throw new Error(`handler for event type "${event}" isn't a callable function`);
        const list = this.listeners.get(event) ?? [];
        list.push(fn);
        this.listeners.set(event, list);
      }

      send(data: unknown): void {
        if (this.readyState !== 1) throw new Error('InvalidStateError');
        this.rec.sent++;
        this.real.send(data as string);
      }

      ping(): void {
        if (this.readyState !== 1) throw new Error('InvalidStateError');
        this.real.ping(String(this.rec.pings++));
      }

      close(code?: number, reason?: string): void {
        this.rec.closeCalls.push({ code, reason });
        if (this.readyState === 0) throw new Error('sandbox: close() on a CONNECTING k6 WebSocket blocks k6\'s event loop until the dial ends');
        if (this.readyState >= 2) return;
        if (code !== undefined && code !== 0 && code !== 1000 && !(code >= 3000 && code <= 4999)) {
          throw new Error(`InvalidAccessError: Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${code} is neither`);
        }
        this.readyState = 2;
        this.real.close(code || 1000, reason ?? '');
      }

      private dispatch(type: string, fields: Record<string, unknown>): void {
        this.rec.events.push(type);
        const e = { type, timestamp: sandbox.clock.now, ...fields };
        for (const fn of this.listeners.get(type) ?? []) fn(e);
      }
    };
  }
}

/** The ECMAScript globals of a bare context (what any engine has), plus k6's own. */
export function allowedGlobals(): Set<string> {
  const builtins = vm.runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[];
  return new Set([...builtins.filter((g) => !NOT_IN_K6.includes(g)), ...K6_GLOBALS]);
}

/**
 * Globals a script uses and never declares (a name declared anywhere counts as declared, so this
 * may miss a shadowed one, never invent one): what it needs from its runtime.
 */
export function freeGlobals(code: string): string[] {
  const sf = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const declared = new Set<string>();
  const used = new Set<string>();
  const bind = (n: ts.BindingName): void => {
    if (ts.isIdentifier(n)) declared.add(n.text);
    else for (const el of n.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) bind(node.name);
    else if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isClassDeclaration(node) || ts.isClassExpression(node)) && node.name) declared.add(node.name.text);
    else if (ts.isImportClause(node) && node.name) declared.add(node.name.text);
    else if (ts.isNamespaceImport(node) || ts.isImportSpecifier(node)) declared.add(node.name.text);
    else if (ts.isIdentifier(node)) {
      const p = node.parent;
      const isName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) && p.name === node) ||
        ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p) || ts.isExportSpecifier(p) || ts.isImportSpecifier(p) ||
        (ts.isMetaProperty(p));
      if (!isName) used.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return [...used].filter((n) => !declared.has(n)).sort();
}
