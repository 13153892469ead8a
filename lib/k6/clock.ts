import exec from 'k6/execution';

/**
 * The finest clock k6 gives a script, in ms. k6 has no `performance.now()` (its runtime, sobek,
 * sets no `performance` global), and `Date.now()` counts whole milliseconds. `k6/execution`'s
 * `exec.instance.currentTestRunDuration` is the time since the test started, in ms with
 * nanosecond digits: that is the clock of `vu.now()`, of connect latency and of ping round trips.
 * It exists only inside an iteration (k6 refuses it in the init context); where it cannot be
 * read, Date.now() is the clock. Read once per VU: each access to `exec.instance` makes a new object.
 */
export function k6Clock(): () => number {
  try {
    const instance = exec.instance;
    if (typeof instance?.currentTestRunDuration === 'number') return () => instance.currentTestRunDuration;
  } catch {
    // no instance information here (init context)
  }
  return () => Date.now();
}
