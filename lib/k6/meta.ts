import type { MetricKind } from './names';

/** What the build knows about a scenario and hands to its bundle (build/k6.ts). */
export interface BundleMeta {
  /** Scenario name (file name without extension): the k6 scenario key. */
  name: string;
  /** The scenario file as the user named it, for messages. */
  file: string;
  /**
   * Every metric the bundle declares in k6's init context, name → kind in declaration order: lib/k6's
   * own and those the scenario's reachable code records (computed by the build, checked against k6's
   * rules there). One object, not one per metric: every VU evaluates it.
   */
  metrics: Record<string, MetricKind>;
}
