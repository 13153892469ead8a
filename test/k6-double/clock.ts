/**
 * Virtual time for the k6 double: timers fire in due order when the test (or the executor) moves
 * time on, and `Date.now()` inside every VU realm reads it. Real sockets keep running in real time
 * while virtual time stands still, so a run is fast and its timing deterministic.
 */

interface Timer {
  due: number;
  fn: () => void;
  every?: number;
  ms: number;
  /** Whose event loop this timer keeps alive (a VU id), or undefined for the executor's own. */
  owner?: number;
  seq: number;
}

export class VirtualClock {
  now = Date.UTC(2026, 0, 1);
  private seq = 0;
  private readonly timers = new Map<number, Timer>();

  set(fn: () => void, ms: number, every: boolean, owner?: number): number {
    const id = ++this.seq;
    const delay = Math.max(0, Number(ms) || 0);
    this.timers.set(id, { due: this.now + delay, fn, every: every ? Math.max(1, delay) : undefined, ms: delay, owner, seq: id });
    return id;
  }

  clear(id: number): void {
    this.timers.delete(id);
  }

  /** Timers still pending (an iteration of k6 ends only when its VU has none, and no open socket). */
  get pending(): Array<{ id: number; ms: number; interval: boolean; due: number; owner?: number }> {
    return [...this.timers].map(([id, t]) => ({ id, ms: t.ms, interval: t.every !== undefined, due: t.due, owner: t.owner }));
  }

  /** How many timers keep VU `owner`'s event loop busy. */
  pendingOf(owner: number): number {
    let n = 0;
    for (const t of this.timers.values()) if (t.owner === owner) n++;
    return n;
  }

  /** Drops every timer of a VU (its iteration was interrupted). */
  clearOwner(owner: number): void {
    for (const [id, t] of this.timers) if (t.owner === owner) this.timers.delete(id);
  }

  /** Due time of the next timer, if any. */
  nextDue(): number | undefined {
    let best: Timer | undefined;
    for (const t of this.timers.values()) if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    return best?.due;
  }

  /** Fires the earliest timer (due time, then creation order), moving time to it; false when none is left. */
  step(limit = Infinity): boolean {
    let next: [number, Timer] | undefined;
    for (const e of this.timers) {
      const t = e[1];
      if (t.due <= limit && (!next || t.due < next[1].due || (t.due === next[1].due && t.seq < next[1].seq))) next = e;
    }
    if (!next) return false;
    const [id, t] = next;
    this.now = Math.max(this.now, t.due);
    if (t.every !== undefined) {
      t.due += t.every;
      t.seq = ++this.seq;
    } else {
      this.timers.delete(id);
    }
    t.fn();
    return true;
  }

  /** Moves time forward by `ms`, firing due timers in order, as k6's event loop. */
  advance(ms: number): void {
    const end = this.now + ms;
    while (this.step(end));
    this.now = end;
  }
}
