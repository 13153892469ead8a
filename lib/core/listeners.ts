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
type MessageListener = (e: SocketEventMap['message']) => void;

/**
 * The scenario's listeners of one socket. The map is created on the first `addEventListener`
 * (a connect-only socket with no listener costs one field), and dropped when the socket ends.
 * The 'message' listeners, called once per message where the others run a few times per
 * connection, are kept apart in their own list: no lookup by event name per message.
 */
export abstract class SocketListeners {
  private listeners: Listeners | undefined;
  private messageListeners: MessageListener[] | undefined;

  constructor(protected readonly owner: SocketOwner) {}

  addEventListener<K extends SocketEvent>(event: K, listener: (e: SocketEventMap[K]) => void): void {
    if (event === 'message') {
      (this.messageListeners ??= []).push(listener as MessageListener);
      return;
    }
    const all = (this.listeners ??= {});
    const list = (all[event] ??= []) as Array<(e: SocketEventMap[K]) => void>;
    list.push(listener);
  }

  protected hasListeners(event: SocketEvent): boolean {
    return event === 'message' ? this.messageListeners !== undefined : this.listeners?.[event] !== undefined;
  }

  /** Calls the scenario's listeners; one that throws is the scenario's error (its VU's), never the engine's. */
  protected emit<K extends SocketEvent>(event: K, payload: SocketEventMap[K]): void {
    const list = (event === 'message' ? this.messageListeners : this.listeners?.[event]) as Array<(e: SocketEventMap[K]) => void> | undefined;
    if (list) this.callEach(list, payload);
  }

  /** A message for the 'message' listeners (the per-message path: lib/core/connection-state.ts). */
  protected emitMessage(data: string | ArrayBuffer): void {
    const list = this.messageListeners;
    if (list) this.callEach(list, { type: 'message', data });
  }

  // an index loop sees a listener added by a listener, as the iterator did
  private callEach<E>(list: Array<(e: E) => void>, payload: E): void {
    for (let i = 0; i < list.length; i++) {
      try {
        (list[i] as (e: E) => void)(payload);
      } catch (err) {
        this.owner.scenarioError(err);
      }
    }
  }

  protected dropListeners(): void {
    this.listeners = undefined;
    this.messageListeners = undefined;
  }
}
