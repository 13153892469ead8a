import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import { M } from '../core/metric-names';
import type { Recorder } from '../core/recorder';
import type { ReadPlan } from '../options/flow-options';

/** What a read plan needs of a client: ws's flow control. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

/** How often a rate-limited reader checks its budget. */
const TICK_MS = 100;

/**
 * A slow or stalled reader (docs/slow-readers.md): reads through the socket's own flow control.
 * Paused, ws stops reading its `net.Socket`, the kernel's receive buffer fills, TCP's window closes,
 * and the server's send buffer grows. A rate limit reads while `bytesRead` since open is within
 * `bytesPerSec` × the time since open, checked on every chunk read (a chunk is what the kernel
 * holds, up to 64 KiB, and a paused socket still fills its stream's buffer: the rate holds over
 * seconds, not per read) and every 100 ms to resume; a stall pauses `after` the open, `for` that long, once.
 */
export class ReadFlow {
  private readonly timers: NodeJS.Timeout[] = [];
  private stalled = false;
  private paused = false;
  private readonly startBytes: number;
  private readonly startMs = performance.now();

  private readonly onChunk = (): void => this.apply();

  constructor(private readonly ws: Pausable, private readonly socket: net.Socket, private readonly plan: ReadPlan) {
    this.startBytes = socket.bytesRead;
    if (plan.bytesPerSec !== undefined) {
      this.timers.push(setInterval(this.onChunk, TICK_MS));
      socket.on('data', this.onChunk);
    }
    const stall = plan.stall;
    if (stall) {
      this.timers.push(setTimeout(() => {
        this.stalled = true;
        this.apply();
        this.timers.push(setTimeout(() => {
          this.stalled = false;
          this.apply();
        }, stall.forMs));
      }, stall.afterMs));
    }
    this.apply();
  }

  private apply(): void {
    const rate = this.plan.bytesPerSec;
    const over = rate !== undefined && this.socket.bytesRead - this.startBytes > (rate * (performance.now() - this.startMs)) / 1000;
    const pause = this.stalled || over;
    if (pause === this.paused) return;
    this.paused = pause;
    if (pause) this.ws.pause();
    else this.ws.resume();
  }

  /** The connection ended. */
  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.length = 0;
    this.socket.removeListener('data', this.onChunk);
  }
}

/** A connection of a slow or stalled reader opened: counted, and its reads follow the plan until it ends. */
export function startFlow(ws: Pausable, socket: net.Socket, plan: ReadPlan, rec: Recorder): ReadFlow {
  rec.add(M.slowReaderConns);
  return new ReadFlow(ws, socket, plan);
}
