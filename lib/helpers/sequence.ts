/**
 * How one message arrived, judged by its sequence number among those of the same sender→receiver pair:
 * - `new`: first time seen, nothing later seen before it;
 * - `reordered`: first time seen, but a later one of the pair arrived before it (out of order);
 * - `duplicate`: seen before;
 * - `stale`: older than the window, so it cannot be told apart from a duplicate (counted as new
 *   by callers that need a total: see `SequenceWindow`).
 */
export type Arrival = 'new' | 'reordered' | 'duplicate' | 'stale';

/**
 * Lost, duplicated and out-of-order detection per sender→receiver pair in bounded memory:
 * per pair, the highest sequence number seen plus a sliding window of `size` bits for the numbers
 * just below it (the anti-replay window of IPsec and DTLS). Pairs live in rows of two shared typed
 * arrays, so memory is about `pairs × (size / 8 + 8)` bytes plus the map from pair name to row
 * (~110 bytes per pair at the default size), whatever the number of messages. Classification is exact
 * as long as a message is never overtaken by more than `size − 1` later ones of its pair; beyond that
 * it is `stale`. Sequence numbers are whole numbers >= 0, per pair, in send order (gaps allowed).
 * Pure: no clock, no I/O.
 */
export class SequenceWindow {
  private readonly rows = new Map<string, number>();
  /** The pair of the last arrival and its row: a receiver mostly hears from the same sender, so its next arrival skips the map. */
  private lastPair: string | undefined;
  private lastRow = 0;
  private readonly free: number[] = [];
  private readonly words: number;
  private highest = new Float64Array(64);
  private bits: Int32Array;
  private used = 0;

  /** `size`: bits of history per pair, a multiple of 32. Default 256. */
  constructor(readonly size = 256) {
    if (!Number.isInteger(size) || size < 32 || size % 32 !== 0) throw new Error(`SequenceWindow: size must be a multiple of 32 (got ${size})`);
    this.words = size / 32;
    this.bits = new Int32Array(64 * this.words);
  }

  /** Pairs tracked now. */
  get pairCount(): number {
    return this.rows.size;
  }

  /** Classifies the arrival of `seq` from pair `pair` and remembers it. */
  arrive(pair: string, seq: number): Arrival {
    if (!Number.isInteger(seq) || seq < 0) throw new Error(`SequenceWindow: sequence numbers must be whole numbers >= 0 (got ${seq})`);
    const row = pair === this.lastPair ? this.lastRow : this.rows.get(pair);
    if (row === undefined) {
      const r = this.newRow();
      this.rows.set(pair, r);
      this.highest[r] = seq;
      this.set(r, seq);
      this.lastPair = pair;
      this.lastRow = r;
      return 'new';
    }
    this.lastPair = pair;
    this.lastRow = row;
    const highest = this.highest[row] as number;
    if (seq > highest) {
      // slide: the numbers between the old highest and seq enter the window unseen
      if (seq - highest >= this.size) this.bits.fill(0, row * this.words, (row + 1) * this.words);
      else for (let s = highest + 1; s < seq; s++) this.clear(row, s);
      this.highest[row] = seq;
      this.set(row, seq);
      return 'new';
    }
    if (highest - seq >= this.size) return 'stale';
    if (this.has(row, seq)) return 'duplicate';
    this.set(row, seq);
    return 'reordered';
  }

  /** Forgets a pair (e.g. when its sender is gone for good); its row is reused. */
  forget(pair: string): void {
    const row = this.rows.get(pair);
    if (row === undefined) return;
    if (pair === this.lastPair) this.lastPair = undefined;
    this.rows.delete(pair);
    this.free.push(row);
  }

  private newRow(): number {
    const reused = this.free.pop();
    const row = reused ?? this.used++;
    if (row >= this.highest.length) {
      const highest = new Float64Array(this.highest.length * 2);
      highest.set(this.highest);
      this.highest = highest;
      const bits = new Int32Array(highest.length * this.words);
      bits.set(this.bits);
      this.bits = bits;
    }
    this.bits.fill(0, row * this.words, (row + 1) * this.words);
    return row;
  }

  // bit `seq % size` of the pair's ring; no allocation, this runs once per message
  private set(row: number, seq: number): void {
    const slot = seq % this.size;
    const w = row * this.words + (slot >>> 5);
    this.bits[w] = (this.bits[w] as number) | (1 << (slot & 31));
  }

  private clear(row: number, seq: number): void {
    const slot = seq % this.size;
    const w = row * this.words + (slot >>> 5);
    this.bits[w] = (this.bits[w] as number) & ~(1 << (slot & 31));
  }

  private has(row: number, seq: number): boolean {
    const slot = seq % this.size;
    return ((this.bits[row * this.words + (slot >>> 5)] as number) & (1 << (slot & 31))) !== 0;
  }
}
