import type { SocketEvent, SocketEventMap } from '../scenario/types';

/** Who owns a socket (its VU): told when a scenario listener throws, when an attempt or pong settles, when the socket is done. */
export interface SocketOwner {
  scenarioError(err: unknown): void;
  /** Something an end-of-run drain waits for happened (open, failure, pong). */
  settled(s: SocketListeners): void;
  /** The socket ended (closed, failed or aborted); it records nothing more. */
  socketDone(s: SocketListeners): void;
}

type Listeners = { [K in SocketEvent]?: Array<(e: SocketEventMap[K]) => void> };

/**
 * The scenario's listeners of one socket. The map is created on the first `addEventListener`
 * (a connect-only socket with no listener costs one field), and dropped when the socket ends.
 */
export abstract class SocketListeners {
  private listeners: Listeners | undefined;

  constructor(protected readonly owner: SocketOwner) {}

  addEventListener<K extends SocketEvent>(event: K, listener: (e: SocketEventMap[K]) => void): void {
    const all = (this.listeners ??= {});
    const list = (all[event] ??= []) as Array<(e: SocketEventMap[K]) => void>;
    list.push(listener);
  }

  protected hasListeners(event: SocketEvent): boolean {
    return this.listeners?.[event] !== undefined;
  }

  /** Calls the scenario's listeners; one that throws is the scenario's error (its VU's), never the engine's. */
  protected emit<K extends SocketEvent>(event: K, payload: SocketEventMap[K]): void {
    const list = this.listeners?.[event] as Array<(e: SocketEventMap[K]) => void> | undefined;
    if (!list) return;
    for (const fn of list) {
      try {
        fn(payload);
      } catch (err) {
        this.owner.scenarioError(err);
      }
    }
  }

  protected dropListeners(): void {
    this.listeners = undefined;
  }
}
