import { formatDuration } from '../scenario/duration';
import { endGraceMs } from '../core/drain';
import { M, METRICS } from '../core/metric-names';
import { planStages, Stage } from '../scenario/stages';
import { DEFAULT_THRESHOLDS, parseThreshold } from '../results/thresholds';
import type { ResolvedOptions } from '../scenario/types';
import { CONNECT_LATENCY, CONNECT_SUCCESS, kindOf, MetricDecl } from './names';
import { K6ArrivalScenario, k6ArrivalScenarios } from './arrivals';

/** A k6 threshold: the expression, or the object form when the run must stop as soon as it fails. */
export type K6Threshold = string | { threshold: string; abortOnFail: boolean };

export interface K6Stage {
  duration: string;
  target: number;
}

/** The k6 `options` a bundle exports (the subset of k6's Options that wsbench maps onto). */
export interface K6Options {
  scenarios: Record<string, {
    executor: 'ramping-vus';
    startVUs: number;
    stages: K6Stage[];
    gracefulRampDown: string;
    gracefulStop: string;
  } | K6ArrivalScenario>;
  thresholds: Record<string, K6Threshold[]>;
  summaryTrendStats: string[];
}

/** A wsbench threshold that k6 cannot express, and why. */
export interface Unmapped {
  expr: string;
  why: string;
}

/** A wsbench threshold and the k6 threshold it became. */
export interface MappedThreshold {
  expr: string;
  /** The k6 metric (with its tag filter, `ws_connect_errors{error:HTTP 503}`). */
  metric: string;
  threshold: string;
}

/**
 * The statistics wsbench reports for latencies, so k6's end-of-test summary shows the same ones,
 * and `count`: how many samples a Trend holds (one of k6's trend columns), which tells an empty
 * Trend from one of zeros (lib/k6/summary.ts).
 */
const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

/** wsbench stages as k6 `ramping-vus` stages: a hold keeps the previous target. */
export function k6Stages(stages: Stage[]): K6Stage[] {
  return planStages(stages).map((s) => ({ duration: formatDuration(s.durationMs), target: s.to }));
}

/** A scenario key k6 accepts (letters, digits, `_` and `-`). */
export function scenarioKey(name: string): string {
  const key = name.replace(/[^0-9A-Za-z_-]/g, '_');
  return key === '' ? 'wsbench' : key;
}

/** Latency field of the summary (`p99`, `avg`, ...) as a k6 Trend aggregation (`p(99)`, `avg`, ...). */
function trendAggregation(stat: string | undefined): string | undefined {
  if (stat === 'min' || stat === 'max' || stat === 'avg') return stat;
  const p = stat === undefined ? null : /^p(50|90|95|99)$/.exec(stat);
  return p ? `p(${Number(p[1])})` : undefined;
}

type Target = { metric: string; aggregation: string } | { why: string };

const TREND_WHY = 'k6 thresholds on a Trend take avg, min, max, med and p(N) only';

/** What decides whether a k6 metric can receive samples in a run. */
export interface Fillable {
  declared: MetricDecl[];
  pingType: ResolvedOptions['pingType'];
}

/**
 * k6 reads an empty Trend's percentiles, min, max and avg as 0 (docs/k6.md, "k6 behaviours
 * encoded"), so `p(95)<100` on a Trend nothing fills passes with nothing measured. A threshold is
 * therefore mapped only onto a Trend the run can fill; otherwise it is left out with the reason.
 */
function unfilledTrend(metric: string, f: Fillable): string | undefined {
  if (metric === M.ping && f.pingType === 'app') {
    return "with pingType 'app' no protocol pong ever reaches k6, so ws_ping stays empty and k6 would read its p(N) as 0";
  }
  if (metric !== M.connecting && metric !== M.ping && metric !== METRICS.k6SessionDuration.name && !f.declared.some((d) => d.name === metric)) {
    return `nothing in the scenario's code records ${metric}, and k6 would read the empty Trend's p(N) as 0`;
  }
  return undefined;
}

/** Where a summary field lives in k6: metric and aggregation, or why it has no k6 equivalent. */
function targetOf(path: string[], f: Fillable): Target {
  const declared = f.declared;
  const [head, field, sub] = path;
  const trend = (metric: string): Target => {
    const aggregation = trendAggregation(sub ?? undefined);
    const empty = unfilledTrend(metric, f);
    if (empty) return { why: empty };
    return aggregation ? { metric, aggregation } : { why: TREND_WHY };
  };
  const count = (metric: string): Target => ({ metric, aggregation: 'count' });
  switch (head) {
    case 'connectLatencyMs': {
      // the attempts that opened, as on Node: k6's own ws_connecting has a sample for failed dials too
      const aggregation = trendAggregation(field);
      return aggregation && sub === undefined ? { metric: CONNECT_LATENCY, aggregation } : { why: TREND_WHY };
    }
    case 'connections':
      if (field === 'successRate') return { metric: CONNECT_SUCCESS, aggregation: 'rate' };
      if (field === 'attempted') return count(M.attempts);
      if (field === 'failed') return count(M.connectErrors);
      if (field === 'disconnected') return count(M.disconnects);
      if (field === 'errors' && sub !== undefined) return count(`${M.connectErrors}{error:${sub}}`);
      if (field === 'succeeded') return { why: 'k6 counts every attempt in ws_sessions; use connections.successRate' };
      if (field === 'peak' || field === 'final') return { why: 'k6 keeps no count of connections open at once across VUs' };
      break;
    case 'heartbeat':
      if (field === 'pongRate') return { metric: M.pongRate, aggregation: 'rate' };
      if (field === 'pingsSent') return count(M.pings);
      if (field === 'pongsReceived') return count(M.pongs);
      if (field === 'rttMs') return trend(M.ping);
      break;
    case 'messages':
      if (field === 'sent') return count(M.msgsSent);
      if (field === 'received') return count(M.msgsReceived);
      if (field === 'latencyMs') return trend(M.msgLatency);
      if (field === 'latencyFromPlanMs') return trend(M.msgLatencyFromPlan);
      if (field === 'ackRttFromPlanMs') return trend(M.imAckRttFromPlan);
      if (field === 'lost') return { why: 'k6 has no lost-message count' };
      break;
    case 'vus':
      if (field === 'failed') return count(M.vusFailed);
      break;
    case 'metrics': {
      const kind = field === undefined ? undefined : kindOf(field, declared);
      if (field === undefined || kind === undefined) return { why: `metric ${field ?? '?'} is not recorded by the scenario (no vu.counter/trend/rate call names it)` };
      if (kind === 'trend') return trend(field);
      if (sub !== undefined) return { why: `metrics.${field} is a ${kind}: it has no .${sub}` };
      return { metric: field, aggregation: kind === 'rate' ? 'rate' : 'count' };
    }
  }
  return { why: 'no k6 metric holds this field' };
}

/**
 * wsbench thresholds (`connectLatencyMs.p99 < 100`) as k6 thresholds on the shared metric names
 * (`ws_connecting: ['p(99)<100']`). Fields k6 cannot express are returned apart, never dropped silently.
 */
export function k6Thresholds(exprs: string[], fill: Fillable): { thresholds: Record<string, K6Threshold[]>; unmapped: Unmapped[]; sources: MappedThreshold[] } {
  const thresholds: Record<string, K6Threshold[]> = {};
  const unmapped: Unmapped[] = [];
  const sources: MappedThreshold[] = [];
  for (const expr of exprs) {
    const t = parseThreshold(expr);
    const target = targetOf(t.path, fill);
    if ('why' in target) {
      unmapped.push({ expr: t.expr, why: target.why });
      continue;
    }
    const text = `${target.aggregation}${t.op}${t.value}`;
    (thresholds[target.metric] ??= []).push(t.abortOnFail ? { threshold: text, abortOnFail: true } : text);
    sources.push({ expr: t.expr, metric: target.metric, threshold: text });
  }
  return { thresholds, unmapped, sources };
}

/**
 * The k6 options of a scenario: one `ramping-vus` scenario from its stages, its thresholds (or the
 * defaults, as `runner run` uses them). `gracefulRampDown` is 0s because a wsbench VU is one
 * long-lived connection whose iteration never ends by itself: waiting for it would only keep VUs
 * past their stage. `gracefulStop` is the end of a VU's life at most (lib/core/drain.ts): the
 * drain of pending connects and pongs, then the closes.
 */
export function k6Options(o: ResolvedOptions, name: string, declared: MetricDecl[]): { options: K6Options; unmapped: Unmapped[]; sources: MappedThreshold[] } {
  const { thresholds, unmapped, sources } = k6Thresholds(o.thresholds.length > 0 ? o.thresholds : DEFAULT_THRESHOLDS, { declared, pingType: o.pingType });
  const key = scenarioKey(name);
  const ramped = k6Stages(o.stages);
  // arrive stages are scenarios of their own (lib/k6/arrivals.ts); k6 refuses a ramping-vus scenario that never has a VU
  const scenarios: K6Options['scenarios'] = k6ArrivalScenarios(o, key, endGraceMs(o));
  if (ramped.some((s) => s.target > 0)) {
    scenarios[key] = { executor: 'ramping-vus', startVUs: 0, stages: ramped, gracefulRampDown: '0s', gracefulStop: formatDuration(endGraceMs(o)) };
  }
  return {
    options: {
      scenarios,
      thresholds,
      summaryTrendStats: SUMMARY_TREND_STATS,
    },
    unmapped,
    sources,
  };
}
