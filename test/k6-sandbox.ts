import fs from 'node:fs';
import vm from 'node:vm';
import ts from 'typescript';
import { VirtualClock } from './k6-double/clock';
import type { K6Version } from './k6-double/modules';
import { K6_GLOBALS, NOT_IN_K6, VuRealm } from './k6-double/realm';
import { Registry } from './k6-double/registry';
import type { SocketRecord } from './k6-double/websocket';

/**
 * A k6 bundle under the k6 double (test/k6-double/), one VU at a time, driven by the test:
 * `load` evaluates the init context as k6 does for options (VU 0); `iteration(n)` runs default in
 * VU n's own realm (its init context evaluated on first use). For whole runs with k6's scheduler
 * use runK6() from test/k6-double/executor.ts. The WebSocket double drives a real `ws` client.
 */

export { K6_GLOBALS, VirtualClock };
export type { K6Version, SocketRecord };
export { webSocketClass } from './k6-double/websocket';
export type { SocketHost } from './k6-double/websocket';

export interface Sample {
  metric: string;
  type: 'Counter' | 'Trend' | 'Rate' | 'Gauge';
  value: number | boolean;
  tags?: Record<string, string>;
}

export interface SandboxOptions {
  env: Record<string, string>;
  clock?: VirtualClock;
  /** `exec.test.options`: what k6 runs. Default: the bundle's exported options, as `k6 run` without flags. */
  testOptions?: unknown;
  /** `exec.scenario.startTime`, shared by every VU of a test. Default: the clock's time at load. */
  scenarioStart?: number;
  /** The k6 release whose modules the bundle is loaded against. Default 1.6. */
  version?: K6Version;
  /** The scenario's iteration count (exec.scenario.iterationInTest), shared by sandboxes that stand for one test. Default: this sandbox's own. */
  iterationsInTest?: { next: number };
}

const TYPE: Record<string, Sample['type']> = { counter: 'Counter', trend: 'Trend', rate: 'Rate', gauge: 'Gauge' };

export class K6Sandbox {
  readonly clock: VirtualClock;
  readonly registry = new Registry();
  readonly sockets: SocketRecord[] = [];
  readonly logs: string[] = [];
  readonly realms = new Map<number, VuRealm>();
  private readonly vu0: VuRealm;
  private readonly code: string;
  private readonly o: SandboxOptions;

  private constructor(code: string, o: SandboxOptions) {
    this.code = code;
    this.o = o;
    this.clock = o.clock ?? new VirtualClock();
    const start = o.scenarioStart ?? this.clock.now;
    this.scenarioStart = start;
    this.iterationsInTest = o.iterationsInTest ?? { next: 0 };
    this.vu0 = this.realm(0);
  }

  private readonly scenarioStart: number;
  private readonly iterationsInTest: { next: number };

  static load(file: string, o: SandboxOptions): K6Sandbox {
    return new K6Sandbox(fs.readFileSync(file, 'utf8'), o);
  }

  static fromCode(code: string, o: SandboxOptions): K6Sandbox {
    return new K6Sandbox(code, o);
  }

  get exports(): VuRealm['exports'] {
    return this.vu0.exports;
  }

  /** Metrics the script declared (VU 0's init context). */
  get declared(): VuRealm['declared'] {
    return this.vu0.declared;
  }

  get required(): string[] {
    return this.vu0.required;
  }

  /** Every sample, k6's built-ins included, in the old shape (Rate values as booleans). */
  get samples(): Sample[] {
    return this.registry.samples.map((s) => ({ metric: s.metric, type: TYPE[s.type] as Sample['type'], value: s.type === 'rate' ? s.value !== 0 : s.value, tags: s.tags }));
  }

  /** The test's SharedArrays (k6/data), shared by every realm as k6 shares them across VUs. */
  private readonly shared = new Map<string, string[]>();

  private realm(vu: number): VuRealm {
    let r = this.realms.get(vu);
    if (!r) {
      const name = (): string => Object.keys((this.runOptions() as { scenarios?: object }).scenarios ?? { default: 1 })[0] as string;
      r = new VuRealm({
        code: this.code, vu, version: this.o.version ?? '1.6', env: this.o.env, clock: this.clock, registry: this.registry, logs: this.logs,
        sockets: this.sockets, testOptions: () => this.runOptions(), scenario: () => ({ name: name(), startMs: this.scenarioStart }),
        nextIteration: () => this.iterationsInTest.next++, testStartMs: this.scenarioStart, shared: this.shared,
      });
      this.realms.set(vu, r);
    }
    return r;
  }

  private runOptions(): unknown {
    return this.o.testOptions ?? this.vu0?.exports.options ?? {};
  }

  /** Runs k6's default function as VU `idInTest` (1-based, as k6 counts); resolves when its event loop empties. */
  iteration(idInTest: number): Promise<'done' | 'interrupted'> {
    return this.realm(idInTest).iterate();
  }

  /** Sum of a Counter's samples, optionally only those carrying `tags`. */
  count(metric: string, tags?: Record<string, string>): number {
    return this.registry.count(metric, tags);
  }

  rates(metric: string): boolean[] {
    return this.registry.of(metric).filter((s) => s.type === 'rate').map((s) => s.value !== 0);
  }

  trend(metric: string): number[] {
    return this.registry.of(metric).filter((s) => s.type === 'trend').map((s) => s.value);
  }

  /** Every tag set a metric was recorded with, as "k:v" strings. */
  tagsOf(metric: string): string[] {
    return this.registry.of(metric).map((s) => Object.entries(s.tags).map(([k, v]) => `${k}:${v}`).join(','));
  }

  /** Closes what the double still holds open (test cleanup). */
  destroy(): void {
    for (const r of this.realms.values()) for (const ws of r.realSockets()) ws.terminate();
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
