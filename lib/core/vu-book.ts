import { M } from './metric-names';
import type { Recorder } from './recorder';
import type { VuContext, VuFunction } from '../scenario/types';

/**
 * THE RULE FOR SCENARIO ERRORS (both engines; docs/scenarios.md "Errors in your scenario"):
 * a throw (or a rejected promise) in the VU function, a timer callback or a socket listener is the
 * scenario's error, never the runner's. The VU's first error fails the VU: it counts in
 * `vus_failed` and its text is a failure class `scenario error: <message> (<file>:<line>)`. Later
 * errors of that VU count in `vu_callback_errors`. The VU's connections stay as they are, and the
 * run goes on. Each distinct text is printed once; only the first 20 distinct texts (per worker
 * process on Node, per VU's JS realm on k6) are printed and kept as classes, the rest are counted
 * under one class, so that messages holding a VU's id cannot flood the output or the summary.
 */
export const MAX_DISTINCT_SCENARIO_ERRORS = 20;
export const OTHER_SCENARIO_ERRORS = `scenario error: other messages (only the first ${MAX_DISTINCT_SCENARIO_ERRORS} distinct ones are printed)`;

/** Made at the first error: a k6 VU without one then never makes the Set global (bench/README.md "Cost per VU on k6"). */
let reported: Set<string> | undefined;

/** The class of a scenario's error (message and where it was thrown); printed with `print` the first time, within the cap. */
export function scenarioErrorClass(err: unknown, print: (line: string) => void): string {
  const e = err as Error;
  const where = scenarioFrame(e?.stack);
  const text = `scenario error: ${String(e?.message ?? err).slice(0, 200)}${where ? ` (${where})` : ''}`;
  reported ??= new Set<string>();
  if (reported.has(text)) return text;
  if (reported.size >= MAX_DISTINCT_SCENARIO_ERRORS) return OTHER_SCENARIO_ERRORS;
  reported.add(text);
  print(text);
  return text;
}

/**
 * Frames of the engine, packages and wsbench's own code (bundled into the scenario): not the
 * scenario's line. By folder (lib/README.md lists them), so that a file added to one needs no entry here.
 */
const OURS = /node_modules|^node:|\/lib\/(?:scenario|options|helpers|core|metrics|results|node|k6)\/|\/lib\/(?:index|helpers)\.ts$|\/runner\/|\/build\//;
/** `at f (file:line:col)` (V8), `at f (file:///x.js:line:col(pc))` (k6's sobek). */
const FRAME = /\(?(?:file:\/\/)?([^()\s]+\.(?:ts|js|mjs|cjs)):(\d+):(\d+)(?:\(\d+\))?\)?$/;

function scenarioFrame(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  for (const line of stack.split('\n').slice(1)) {
    const m = FRAME.exec(line.trim());
    if (m && !OURS.test(m[1] as string)) return `${m[1]}:${m[2]}`;
  }
  return undefined;
}

/**
 * A VU's scenario-error book (an engine's VU extends it: no extra object per VU). The engine
 * supplies where a printed error goes.
 */
export abstract class VuBook {
  private vuFailed = false;

  /** Where the VU records (the engine's Recorder, already held by the VU: no field here). */
  protected abstract get rec(): Recorder;

  /** Where the first sighting of an error text is printed (stderr on Node, k6's log). */
  protected abstract printError(line: string): void;

  /** The scenario threw (VU function, timer, listener) or its promise rejected: see the rule above. */
  scenarioError(err: unknown): void {
    const text = scenarioErrorClass(err, (line) => this.printError(line));
    if (this.vuFailed) {
      this.rec.add(M.callbackErrors);
      return;
    }
    this.vuFailed = true;
    this.rec.add(M.vusFailed);
    this.rec.error(text);
  }

  private stops: Array<() => void> | undefined;

  /** `VuContext.onStop`: kept until the VU's life ends. */
  onStop(fn: () => void): void {
    (this.stops ??= []).push(fn);
  }

  /**
   * Runs the `onStop` callbacks once, in order, each guarded: the engines call it when the VU's life
   * ends (end of the stages, a ramp-down, an interrupt), before they stop its timers and close its sockets.
   */
  protected runStops(): void {
    const stops = this.stops;
    this.stops = undefined;
    if (stops) for (const fn of stops) this.guarded(fn);
  }

  /** Runs a scenario callback (timer, listener), turning a throw into `scenarioError`. */
  protected guarded(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.scenarioError(err);
    }
  }
}

/**
 * Calls the scenario's VU function for one VU, the one way both engines do (runner/executor.ts,
 * lib/k6/entry.ts): a throw, or a rejection of the promise it returns, is that VU's scenario error
 * (the rule above), never the engine's.
 */
export function runVuFunction<V extends VuContext & Pick<VuBook, 'scenarioError'>>(fn: VuFunction, vu: V): void {
  try {
    const r = fn(vu);
    if (r && typeof (r as Promise<void>).then === 'function') (r as Promise<void>).then(undefined, (err: unknown) => vu.scenarioError(err));
  } catch (err) {
    vu.scenarioError(err);
  }
}
