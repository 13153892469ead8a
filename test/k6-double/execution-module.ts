import type { RealmOptions } from './realm';
import type { VirtualClock } from './clock';

/** What the `k6/execution` double reads of its VU's realm (test/k6-double/realm.ts). */
export interface ExecutionSource {
  readonly inInit: boolean;
  readonly vu: number;
  readonly iterations: number;
  readonly iterationInTest: number;
  readonly clock: VirtualClock;
}

/** The `k6/execution` module of one VU realm, as k6's (k6: internal/js/modules/k6/execution/execution.go). */
export function executionModule(realm: ExecutionSource, o: RealmOptions): unknown {
  const vuOnly = <T>(err: string, v: () => T): T => {
    if (realm.inInit) throw new Error(err);
    return v();
  };
  return {
    get vu() {
      return vuOnly('getting VU information in the init context is not supported', () => ({
        idInTest: realm.vu, idInInstance: realm.vu, iterationInInstance: realm.iterations - 1, iterationInScenario: realm.iterations - 1,
      }));
    },
    get scenario() {
      return vuOnly('getting scenario information outside of the VU context is not supported', () => {
        const s = o.scenario();
        if (!s) throw new Error('getting scenario information outside of the VU context is not supported');
        // StartTime.UnixNano() / int64(time.Millisecond): whole milliseconds
        return { name: s.name, executor: 'ramping-vus', startTime: Math.trunc(s.startMs), progress: 0, iterationInInstance: realm.iterationInTest, iterationInTest: realm.iterationInTest };
      });
    },
    get instance() {
      // ms since the test started, with ns digits: float64(duration) / float64(time.Millisecond)
      // an object of accessors, read anew at each access, as k6's
      return vuOnly('getting instance information in the init context is not supported', () => ({
        get currentTestRunDuration() {
          return realm.clock.now - o.testStartMs;
        },
      }));
    },
    get test() {
      return {
        get options() {
          return vuOnly('getting test options in the init context is not supported', () => o.testOptions());
        },
        abort: (msg?: string) => void o.logs.push(`abort: ${msg ?? ''}`),
        fail: () => undefined,
      };
    },
  };
}
