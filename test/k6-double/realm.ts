import esbuild from 'esbuild';
import vm from 'node:vm';
import type WebSocket from 'ws';
import type { VirtualClock } from './clock';
import { dataModule, SharedStore } from './data-module';
import { executionModule } from './execution-module';
import { K6Version, moduleTable, unknownModulesError } from './modules';
import type { MetricType, Registry } from './registry';
import { SocketHost, SocketRecord, webSocketClass } from './websocket';

/**
 * One VU's JavaScript realm, as k6 makes one per VU (js/bundle.go Instantiate): its own globals, the
 * bundle's init context evaluated in it, its own module instances; then its default function run
 * as iterations. An iteration ends when its event loop is empty: default returned, no timer of this
 * VU pending, no socket of this VU still open (js/eventloop: the loop waits on registered callbacks).
 */

/** Globals k6 adds to the ECMAScript ones (k6 has no process, Buffer, require, URL or TextEncoder). */
export const K6_GLOBALS = ['__ENV', '__VU', '__ITER', 'console', 'open'];
/** What V8 puts in a bare context that k6's runtime (sobek) lacks. */
export const NOT_IN_K6 = ['WebAssembly'];

export interface ScenarioInfo {
  name: string;
  /** The scenario's start, in virtual ms (k6 hands scripts whole ms: execution.go startTime). */
  startMs: number;
}

export interface RealmOptions {
  code: string;
  vu: number;
  version: K6Version;
  env: Record<string, string>;
  clock: VirtualClock;
  registry: Registry;
  logs: string[];
  /** exec.test.options: the consolidated options k6 runs. */
  testOptions: () => unknown;
  scenario: () => ScenarioInfo | undefined;
  /** The scenario's next iteration number over all VUs (exec.scenario.iterationInTest), taken as an iteration starts. */
  nextIteration: () => number;
  /** Virtual time at which the test started (exec.instance.currentTestRunDuration counts from it). */
  testStartMs: number;
  /** Every socket created in this realm. */
  sockets: SocketRecord[];
  /** The test's SharedArrays (k6/data), by name. */
  shared: SharedStore;
}

export class VuRealm implements SocketHost {
  readonly vu: number;
  readonly version: K6Version;
  readonly clock: VirtualClock;
  readonly registry: Registry;
  readonly required: string[] = [];
  readonly declared: Array<{ name: string; type: string; isTime: boolean }> = [];
  exports: { options?: unknown; default?: () => unknown } = {};
  iterations = 0;
  /** exec.scenario.iterationInTest of the running iteration. */
  iterationInTest = -1;
  private phase: 'init' | 'vu' = 'init';
  private readonly context: vm.Context;
  private readonly live = new Map<WebSocket, { interrupt(): void }>();
  private readonly doubles = new Set<{ interrupt(): void }>();
  private iterationDone: ((how: 'done' | 'interrupted') => void) | undefined;
  private returned = false;

  constructor(private readonly o: RealmOptions) {
    this.vu = o.vu;
    this.version = o.version;
    this.clock = o.clock;
    this.registry = o.registry;
    const log = (level: string) => (...args: unknown[]): void => void o.logs.push(`${level}: ${args.map(String).join(' ')}`);
    this.context = vm.createContext({
      __ENV: { ...o.env },
      __VU: o.vu,
      __ITER: 0,
      console: { log: log('log'), info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') },
      open: () => {
        throw new Error('open() is not used by wsbench bundles');
      },
    });
    (vm.runInContext('(function (now) { Date.now = now; })', this.context) as (f: () => number) => void)(() => Math.floor(this.clock.now));
    for (const g of NOT_IN_K6) vm.runInContext(`delete globalThis.${g}`, this.context);
    // k6 runs ES modules; esbuild rewrites the bundle's imports into calls of this `require` (a parameter, not a global)
    const cjs = esbuild.transformSync(o.code, { format: 'cjs', loader: 'js', target: 'esnext' }).code;
    // k6 resolves every import before running any code (js/modules/resolution.go LoadMainModule)
    const table = moduleTable(o.version);
    const imports = [...cjs.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] as string);
    const unknown = [...new Set(imports.filter((i) => table[i] === undefined))];
    if (unknown.length > 0) throw new Error(unknownModulesError(o.version, unknown));
    const fn = new vm.Script(`(function (require, module, exports) {${cjs}\n})`, { filename: 'k6-bundle.js' }).runInContext(this.context) as (
      r: (id: string) => unknown, m: { exports: unknown }, e: unknown,
    ) => void;
    const module = { exports: {} as unknown };
    fn((id) => this.require(id), module, module.exports);
    this.exports = module.exports as VuRealm['exports'];
  }

  get inInit(): boolean {
    return this.phase === 'init';
  }

  /** Sockets of this VU not yet closed. */
  get openSockets(): number {
    return this.live.size;
  }

  /** Runs one iteration of default; resolves when its event loop is empty, or when interrupted. */
  iterate(): Promise<'done' | 'interrupted'> {
    this.phase = 'vu';
    this.context.__ITER = this.iterations++;
    this.iterationInTest = this.o.nextIteration();
    const run = this.exports.default;
    if (typeof run !== 'function') throw new Error('the bundle exports no default function');
    return new Promise((resolve) => {
      this.iterationDone = resolve;
      this.returned = false;
      run();
      this.returned = true;
      this.checkEmpty();
    });
  }

  /** Interrupts the running iteration (k6 cancels the VU's context): timers dropped, sockets closed. */
  interrupt(): void {
    this.clock.clearOwner(this.vu);
    for (const d of this.live.values()) d.interrupt();
    const done = this.iterationDone;
    this.iterationDone = undefined;
    done?.('interrupted');
  }

  run(fn: () => void): void {
    if (!this.iterationDone && this.phase === 'vu') return; // interrupted: k6 forwards no more events
    fn();
    this.checkEmpty();
  }

  opened(rec: SocketRecord, real: WebSocket): void {
    this.o.sockets.push(rec);
    this.live.set(real, rec.double as unknown as { interrupt(): void });
  }

  closed(_rec: SocketRecord, real: WebSocket): void {
    this.live.delete(real);
  }

  /** Ends the iteration when nothing keeps its event loop alive. */
  checkEmpty(): void {
    if (!this.iterationDone || !this.returned) return;
    if (this.clock.pendingOf(this.vu) > 0 || this.live.size > 0) return;
    const done = this.iterationDone;
    this.iterationDone = undefined;
    done('done');
  }

  /** Real sockets of this VU, for cleanup. */
  realSockets(): WebSocket[] {
    return [...this.live.keys()];
  }

  private require(id: string): unknown {
    this.required.push(id);
    const entry = moduleTable(this.version)[id];
    if (entry === undefined) throw new Error(unknownModulesError(this.version, [id]));
    if (typeof entry === 'object') throw new Error(entry.removed); // k6: removedModule.NewModuleInstance throws
    switch (entry) {
      case 'metrics':
        return this.metricsModule();
      case 'timers':
        return this.timersModule();
      case 'execution':
        return executionModule(this, this.o);
      case 'websockets':
        return { WebSocket: webSocketClass(this) };
      case 'data':
        return dataModule(this.o.shared, () => this.phase === 'init');
    }
  }

  private timersModule(): unknown {
    const timer = (every: boolean) => (fn: () => void, ms: number): number =>
      this.clock.set(() => this.run(fn), ms, every, this.phase === 'vu' ? this.vu : undefined);
    const clear = (id: number): void => {
      this.clock.clear(id);
      this.checkEmpty();
    };
    return { setTimeout: timer(false), setInterval: timer(true), clearTimeout: clear, clearInterval: clear };
  }

  /** k6: internal/js/modules/k6/metrics/metrics.go newMetric and add. */
  private metricsModule(): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- read inside classes and getters whose own `this` is another object
    const realm = this;
    const make = (type: MetricType, label: string) =>
      class {
        readonly name: string;
        private readonly metric: ReturnType<Registry['newMetric']>;
        constructor(name: string, isTime = false) {
          if (realm.phase !== 'init') throw new Error('metrics must be declared in the init context');
          this.metric = realm.registry.newMetric(name, type, isTime ? 'time' : 'default');
          this.name = name;
          realm.declared.push({ name, type: label, isTime });
        }

        add(value: number | boolean, tags?: Record<string, string>): void {
          if (realm.phase === 'init') throw new Error('Adding to metrics in the init context is not supported');
          let v = Number(value);
          if (v === 0 && value) v = 1;
          realm.registry.push(this.metric, v, tags ?? {}, realm.vu, realm.clock.now);
        }
      };
    return { Counter: make('counter', 'Counter'), Trend: make('trend', 'Trend'), Rate: make('rate', 'Rate'), Gauge: make('gauge', 'Gauge') };
  }
}
