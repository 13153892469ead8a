/** Server-side counters, served as JSON at GET /stats: the ground truth for comparing load tools. */
export interface ServerStats {
  open: number;
  accepted: number;
  rejected: number;
  closed: number;
  pings: number;
  appPings: number;
  framesIn: number;
  /** Deliver frames written to this process's connections. */
  delivered: number;
  acked: number;
  /** Deliveries handed to other processes (cluster). */
  forwarded: number;
  errors: number;
  /** Chaos switch (chaos.ts): restarts done, connections they closed, upgrades refused while down. */
  restarts: number;
  restartDropped: number;
  refused: number;
  /** Deliveries refused because their connection held more than the send-buffer limit unsent (server/send-buffer.ts). */
  sendBufferFull: number;
  /** Connections the server closed for it (the policy's close code). */
  sendBufferClosed: number;
  /** The most bytes any connection held unsent (`bufferedAmount`) when a delivery was written: the largest of the processes'. */
  sendBufferMaxBytes: number;
}


export function emptyStats(): ServerStats {
  return {
    open: 0, accepted: 0, rejected: 0, closed: 0, pings: 0, appPings: 0, framesIn: 0, delivered: 0, acked: 0, forwarded: 0, errors: 0, restarts: 0, restartDropped: 0, refused: 0,
    sendBufferFull: 0, sendBufferClosed: 0, sendBufferMaxBytes: 0,
  };
}

