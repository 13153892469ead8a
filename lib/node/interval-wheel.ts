import { performance } from 'node:perf_hooks';

/** Slot width cap: a run comes at most this late, or 1/50 of its interval when that is less. */
const MAX_SLOT_MS = 100;
const MIN_SLOTS = 50;

/** One repeating run on the wheel; `cancel()` stops it. */
export class WheelEntry {
  /** The tick of the next run (its slot is `next mod slots`, the same for every run). */
  next: number;
  dead = false;

  constructor(readonly fn: () => void, private readonly ring: Ring, next: number) {
    this.next = next;
  }

  cancel(): void {
    if (this.dead) return;
    this.dead = true;
    this.ring.removed();
  }
}

/**
 * All runs of one interval: the interval cut in `n` slots of `width` ms, tick T (time T × width)
 * running slot T mod n. A run added at `t` first runs at the first tick at or after t + interval
 * and then every n ticks, so that its own phase is kept: never early, late by less than a slot,
 * exactly one interval between runs. One timer for the ring, armed to the next tick that has runs.
 */
class Ring {
  readonly n: number;
  readonly width: number;
  private readonly slots: WheelEntry[][];
  private size = 0;
  /** The last tick run. */
  private done: number;
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;

  constructor(readonly ms: number, private readonly wheel: IntervalWheel) {
    this.n = Math.max(1, Math.min(Math.floor(ms), Math.max(MIN_SLOTS, Math.ceil(ms / MAX_SLOT_MS))));
    this.width = ms / this.n;
    this.slots = Array.from({ length: this.n }, () => []);
    this.done = Math.floor(wheel.clock() / this.width);
  }

  add(fn: () => void): WheelEntry {
    const next = Math.max(this.done + 1, Math.ceil((this.wheel.clock() + this.ms) / this.width));
    const e = new WheelEntry(fn, this, next);
    (this.slots[next % this.n] as WheelEntry[]).push(e);
    this.size++;
    if (next < this.armedFor) this.arm(next);
    return e;
  }

  removed(): void {
    if (--this.size > 0) return;
    // the last run stopped: the ring goes (its cancelled entries with it); the next add starts a new one
    this.disarm();
    this.wheel.dropped(this);
  }

  /** Runs every tick from the last one run to now (a late wake-up runs each slot it passed once). */
  readonly wake = (): void => {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = Math.floor(this.wheel.clock() / this.width);
    for (let t = Math.max(this.done + 1, now - this.n + 1); t <= now; t++) {
      this.done = t;
      this.runSlot(t);
    }
    if (this.done < now) this.done = now;
    if (this.size > 0) this.armNext();
  };

  /** The slot's runs due by tick `t`; cancelled entries are dropped on the way. */
  private runSlot(t: number): void {
    const slot = this.slots[t % this.n] as WheelEntry[];
    let w = 0;
    // slot.length is read on each turn: a run may add to this slot (due a whole interval later) or cancel any entry
    for (let r = 0; r < slot.length; r++) {
      const e = slot[r] as WheelEntry;
      if (e.dead) continue;
      slot[w++] = e;
      if (e.next > t) continue;
      e.next = t + this.n;
      e.fn();
    }
    slot.length = w;
  }

  private armNext(): void {
    for (let t = this.done + 1; t <= this.done + this.n; t++) {
      if ((this.slots[t % this.n] as WheelEntry[]).length > 0) return this.arm(t);
    }
  }

  private arm(tick: number): void {
    this.disarm();
    this.armedFor = tick;
    this.timer = setTimeout(this.wake, Math.max(0, Math.ceil(tick * this.width - this.wheel.clock())));
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
  }
}

/**
 * Repeating timers shared by all the VUs of a worker: one Node timer per distinct interval, that
 * runs every run due in its slot (the Node engine's `setSharedInterval`, lib/node/vu.ts). At 5,000
 * connections pinging every 5 s, per-VU timers wake the worker 1,000 times a second; the wheel
 * wakes it 10 times (slots of 100 ms). Each run keeps its phase: first one interval after it was
 * added (late by less than a slot), then exactly one interval apart; cancelled runs never run again.
 */
export class IntervalWheel {
  private readonly rings = new Map<number, Ring>();

  constructor(readonly clock: () => number = () => performance.now()) {}

  /** `fn` every `ms` (at least 1), from one interval after now. */
  add(fn: () => void, ms: number): WheelEntry {
    let ring = this.rings.get(ms);
    if (!ring) this.rings.set(ms, (ring = new Ring(ms, this)));
    return ring.add(fn);
  }

  /** @internal A ring whose runs were all cancelled. */
  dropped(ring: Ring): void {
    if (this.rings.get(ring.ms) === ring) this.rings.delete(ring.ms);
  }
}

/** The worker's wheel (a worker is a process or a thread: one module instance, one wheel, each). */
export const workerWheel = new IntervalWheel();
