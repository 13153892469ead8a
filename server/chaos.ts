/**
 * The embedded server's chaos switch: a restart every `everyMs` closes every connection (1001
 * Going Away, or an abrupt TCP close), refuses new ones (HTTP 503) for `downMs`, then accepts
 * again, as a rolling deploy or a failover does to a gateway. Used by `runner serve
 * --restart-every 20s --restart-down 2s [--restart-mode going-away|abrupt]` and by tests in-process.
 */
export type RestartMode = 'going-away' | 'abrupt';
export const RESTART_MODES: readonly RestartMode[] = ['going-away', 'abrupt'];

export interface ChaosOptions {
  everyMs: number;
  downMs: number;
  mode: RestartMode;
  /** Stop after this many restarts; default: never. */
  count?: number;
}

/** What can be restarted: closes its connections, refuses for downMs, resolves with how many it closed. */
export interface Restartable {
  restart(mode: RestartMode, downMs: number): Promise<number>;
}

export interface Chaos {
  /** Restarts done so far. */
  readonly restarts: number;
  stop(): void;
}

/** Restarts `target` every `everyMs` (first after `everyMs`) until stopped; `onRestart` hears each one. */
export function startChaos(target: Restartable, o: ChaosOptions, onRestart?: (n: number, dropped: number) => void): Chaos {
  let restarts = 0;
  const timer = setInterval(() => {
    const n = ++restarts;
    if (o.count !== undefined && n >= o.count) clearInterval(timer);
    void target.restart(o.mode, o.downMs).then((dropped) => onRestart?.(n, dropped));
  }, o.everyMs);
  timer.unref();
  return {
    get restarts() {
      return restarts;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * A server process's side of a restart: closes `conns` as `mode` says and refuses for `downMs`
 * (the refusal ends on its own). Returns how many it closed.
 */
export class RestartGate {
  private refuseUntil = 0;

  get refusing(): boolean {
    return Date.now() < this.refuseUntil;
  }

  /** While down, answers an upgrade with 503 (as a load balancer does during a deploy); true if it did. */
  refuse(socket: { end(data: string): void }): boolean {
    if (!this.refusing) return false;
    socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n');
    return true;
  }

  restart(conns: Iterable<{ readyState: number; close(code: number, reason: string): void; terminate(): void }>, mode: RestartMode, downMs: number): number {
    this.refuseUntil = Date.now() + downMs;
    let n = 0;
    for (const c of [...conns]) {
      if (c.readyState !== 1) continue; // only open connections: one already closing is not dropped by the restart
      if (mode === 'abrupt') c.terminate();
      else c.close(1001, 'server restart');
      n++;
    }
    return n;
  }
}
