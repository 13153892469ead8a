/**
 * ramping-vus execution steps, ported from k6's lib/executor/ramping_vus.go for one instance
 * (no execution segments): getRawExecutionSteps (when each VU starts and stops), and
 * GetExecutionRequirements with reserveVUsForGracefulRampDowns (until when a stopped VU may finish
 * its iteration before it is interrupted). Times in ms; k6 computes them in ns, truncating.
 */

export interface Step {
  t: number;
  vus: number;
}

export interface StageMs {
  ms: number;
  target: number;
}

export function rawSteps(startVUs: number, stages: StageMs[], zeroEnd: boolean): Step[] {
  const steps: Step[] = [{ t: 0, vus: startVUs }];
  const add = (t: number, vus: number): void => {
    if ((steps[steps.length - 1] as Step).vus !== vus) steps.push({ t, vus });
  };
  let from = startVUs;
  let unscaled = startVUs; // k6's SegmentedIndex position, kept across stages
  let end = 0;
  for (const st of stages) {
    const ns = st.ms * 1e6;
    end += st.ms;
    const diff = st.target - from;
    if (diff === 0) continue;
    if (st.ms === 0) {
      unscaled = st.target;
      add(end, st.target);
      from = st.target;
      continue;
    }
    if (unscaled > st.target) {
      for (; unscaled > st.target; unscaled--) add(end - Math.trunc((ns * (st.target - unscaled + 1)) / diff) / 1e6, unscaled - 1);
    } else {
      for (; unscaled <= st.target; unscaled++) add(end - Math.trunc((ns * (st.target - unscaled)) / diff) / 1e6, unscaled);
    }
    from = st.target;
  }
  if (zeroEnd && (steps[steps.length - 1] as Step).vus !== 0) steps.push({ t: end, vus: 0 });
  return steps;
}

function reserveForGracefulRampDowns(raw: Step[], gracefulRampDownMs: number, executorEnd: number): Step[] {
  const out: Step[] = [];
  let last = 0;
  let lastDownward = 0;
  for (let i = 0; i < raw.length; i++) {
    const step = raw[i] as Step;
    if (i === 0 || step.vus > last) {
      out.push(step);
      last = step.vus;
      continue;
    }
    if (step.vus === last) continue;
    let skipped = false;
    const withTimeout = step.t + gracefulRampDownMs;
    let wasRampingDown = true;
    for (let j = Math.max(lastDownward, i + 1); j < raw.length; j++) {
      const adv = raw[j] as Step;
      if (adv.t > withTimeout) break;
      if (adv.vus >= last) {
        i = j - 1;
        skipped = true;
        break;
      }
      if (wasRampingDown) {
        if ((raw[j - 1] as Step).vus > adv.vus) lastDownward = j;
        else wasRampingDown = false;
      }
    }
    if (skipped) continue;
    if (withTimeout >= executorEnd) break;
    out.push({ t: withTimeout, vus: step.vus });
    last = step.vus;
  }
  return out;
}

/** When VUs must be gone at the latest: after gracefulRampDown, and all at sum(stages) + gracefulStop. */
export function gracefulSteps(startVUs: number, stages: StageMs[], gracefulRampDownMs: number, gracefulStopMs: number): Step[] {
  let steps = rawSteps(startVUs, stages, false);
  const executorEnd = stages.reduce((t, s) => t + s.ms, 0) + gracefulStopMs;
  if (gracefulRampDownMs > 0) steps = reserveForGracefulRampDowns(steps, gracefulRampDownMs, executorEnd);
  if ((steps[steps.length - 1] as Step).vus !== 0) steps.push({ t: executorEnd, vus: 0 });
  return steps;
}

/**
 * The order k6 handles them in (ramping_vus.go iterateSteps): a graceful step first only when it
 * is strictly earlier than the next raw step; the graceful steps left after the raw ones run on.
 */
export function ordered(raw: Step[], graceful: Step[]): Array<{ kind: 'raw' | 'graceful'; step: Step }> {
  const out: Array<{ kind: 'raw' | 'graceful'; step: Step }> = [];
  let i = 0;
  let j = 0;
  while (i < raw.length) {
    const r = raw[i] as Step;
    const g = graceful[j];
    if (g && g.t < r.t) {
      out.push({ kind: 'graceful', step: g });
      j++;
    } else {
      out.push({ kind: 'raw', step: r });
      i++;
    }
  }
  for (; j < graceful.length; j++) out.push({ kind: 'graceful', step: graceful[j] as Step });
  return out;
}
