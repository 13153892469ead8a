/**
 * VU intervals on shared Node timers: intervals of the same period started within the same
 * millisecond share one `setInterval`, whose fire calls each in start order. Node would have fired
 * them back to back anyway (one timer list per period, due in the same loop turn); what the group
 * saves is the timer's own cost per callback (its re-insertion, the loop clock read, the microtask
 * check between timers), about an eighth of a paced messaging run's CPU (bench/history.md, issue 26).
 * A member runs every period from its group's start, at most a millisecond before its own (a timer
 * of Node fires on the loop's clock, which lags the same way); the callbacks that queue microtasks
 * see them run after the group's fire instead of between members.
 */

/** One VU's interval in a group; `fn` is cleared when the VU clears it. */
export interface GroupedInterval {
  fn: (() => void) | undefined;
  readonly group: IntervalGroup;
}

class IntervalGroup {
  private readonly members: GroupedInterval[] = [];
  private live = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(ms: number) {
    this.timer = setInterval(() => this.fire(), ms);
  }

  join(fn: () => void): GroupedInterval {
    const m: GroupedInterval = { fn, group: this };
    this.members.push(m);
    this.live++;
    return m;
  }

  /** Every member left: the timer is stopped, the group takes no one more. */
  get done(): boolean {
    return this.live === 0;
  }

  leave(m: GroupedInterval): void {
    if (m.fn === undefined) return;
    m.fn = undefined;
    if (--this.live === 0) clearInterval(this.timer);
  }

  private fire(): void {
    const all = this.members;
    const n = all.length;
    for (let i = 0; i < n; i++) (all[i] as GroupedInterval).fn?.();
    // drop the members that left, once they are half of the list
    if (this.live > 0 && this.live * 2 < all.length) {
      let k = 0;
      for (const m of all) if (m.fn !== undefined) all[k++] = m;
      all.length = k;
    }
  }
}

/** The group still taking members for each period: the one started in the current millisecond. */
const open = new Map<number, { at: number; group: IntervalGroup }>();

/** Starts `fn` every `ms` (whole ms, >= 1) on the group of intervals of that period started in this millisecond. */
export function groupedInterval(fn: () => void, ms: number, nowMs: number): GroupedInterval {
  const at = Math.floor(nowMs);
  let g = open.get(ms);
  if (!g || g.at !== at || g.group.done) open.set(ms, (g = { at, group: new IntervalGroup(ms) }));
  return g.group.join(fn);
}

export function clearGroupedInterval(m: GroupedInterval): void {
  m.group.leave(m);
}
