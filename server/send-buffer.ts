import type { WebSocket } from 'ws';
import type { ServerStats } from './stats';

/**
 * What the server does with a connection that does not read what it is sent (a slow or stalled
 * reader, docs/slow-readers.md): past `limitBytes` held unsent (`bufferedAmount`), each delivery
 * to it is refused and counted (`sendBufferFull`), or, with `closeCode`, the connection is closed
 * with that code (1008 policy violation, 1013 try again later) and counted (`sendBufferClosed`).
 */
export interface SendBufferPolicy {
  limitBytes: number;
  closeCode?: 1008 | 1013;
}

export const SEND_BUFFER_CLOSE_REASON = 'send buffer full';

/** Applies the policy before each delivery, and records the largest buffer it saw. */
export class SendBufferWatch {
  constructor(private readonly policy: SendBufferPolicy | undefined, private readonly stats: ServerStats) {}

  /** True when the delivery may be written to `c`. */
  admit(c: WebSocket): boolean {
    const held = c.bufferedAmount;
    if (held > this.stats.sendBufferMaxBytes) this.stats.sendBufferMaxBytes = held;
    const p = this.policy;
    if (!p || held <= p.limitBytes) return true;
    this.stats.sendBufferFull++;
    if (p.closeCode !== undefined) {
      this.stats.sendBufferClosed++;
      // the close frame queues behind what is held: a reader that resumes reads it; ws drops the socket after its close timeout
      c.close(p.closeCode, SEND_BUFFER_CLOSE_REASON);
    }
    return false;
  }
}
