import type { Worker } from 'node:cluster';

/** Tells a worker to start (on) or stop accepting; resolves with the port it listens on (0 when stopped or failed). */
export type Tell = (w: Worker, on: boolean, port: number) => Promise<number>;

/**
 * Which process of the cluster accepts new connections: one at a time, filling each to its share
 * (its open-files room) before the next takes over. The workers share one listening socket
 * (cluster.SCHED_NONE, cluster.ts), so no accepted connection crosses a process boundary, and with
 * one of them listening at a time no connection wakes the others: each connection costs what it
 * costs a single process. The handover keeps the socket open: the next worker starts listening
 * before the full one stops. When every worker is full, the last one goes on accepting.
 */
export class Acceptors {
  private current: Worker | undefined;
  private readonly full = new Set<Worker>();
  private moving: Promise<void> = Promise.resolve();
  private port = 0;

  /** `requested`: the port of the first listen (0: any), which a worker joining the open socket repeats. */
  constructor(private readonly workers: readonly Worker[], private readonly requested: number, private readonly tell: Tell) {}

  /** The first worker starts accepting; resolves with the port. */
  async start(): Promise<number> {
    this.current = this.workers[0];
    if (this.current) this.port = await this.tell(this.current, true, this.requested);
    return this.port;
  }

  /** A worker reached its share (full) or fell back below it. */
  level(w: Worker, full: boolean): void {
    if (full) this.full.add(w);
    else this.full.delete(w);
    this.moving = this.moving.then(() => this.handOver());
  }

  /** A worker exited: if it was accepting, another takes over (on the same port). */
  exited(w: Worker): void {
    this.full.delete(w);
    if (w === this.current) this.moving = this.moving.then(() => this.handOver());
  }

  /** Resolves once the handovers asked for so far are done. */
  settled(): Promise<void> {
    return this.moving;
  }

  private async handOver(): Promise<void> {
    const cur = this.current;
    const alive = (w: Worker): boolean => !w.isDead() && w.isConnected();
    const curAlive = cur !== undefined && alive(cur);
    if (curAlive && !this.full.has(cur)) return;
    const next = this.workers.find((w) => w !== cur && alive(w) && !this.full.has(w));
    if (!next) return;
    // while the socket is open, a worker joins it with the first listen's arguments; once it closed, it listens anew on its port
    const port = await this.tell(next, true, curAlive ? this.requested : this.port);
    if (port === 0) return;
    this.current = next;
    if (curAlive) await this.tell(cur, false, 0);
  }
}
