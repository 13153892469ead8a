import { classifyClose } from './errors';
import { M } from './metric-names';
import { SEND_BUFFER_LIMIT } from '../scenario/types';
import { HeartbeatBook, HeartbeatSettings } from './heartbeat-book';
import type { SocketOwner } from './listeners';
import type { Recorder } from './recorder';

const OPENED = 1;
const FAILED = 2;
const DONE = 4;
const BY_US = 8;

/**
 * The bookkeeping of one connection attempt and the connection it becomes, the same on every
 * engine (an engine's socket extends this and turns its transport's events into these calls):
 *
 * - Every attempt (`ws_connect_attempts`) ends in exactly one of: opened (`ws_sessions`, its time
 *   from the start of the attempt in `ws_connecting`), failed (`ws_connect_errors`, one class) or
 *   aborted by the runner before it opened (`ws_connect_aborted`: end of run, VU stopped).
 * - An opened connection that the other side closes, or that breaks (even after we began to
 *   close it), is one disconnect, classed by the error that broke it, else by its close code.
 * - A close we asked for is no disconnect.
 */
export abstract class ConnectionState<S extends HeartbeatSettings = HeartbeatSettings> extends HeartbeatBook<S> {
  private flags = 0;
  /** Start of the attempt, on `clock()`. */
  protected readonly startedAt: number;
  /** What broke an open connection (a protocol error, a reset), if anything. */
  private lastError: string | undefined;

  constructor(rec: Recorder, settings: S, owner: SocketOwner) {
    super(rec, settings, owner);
    rec.add(M.attempts);
    this.startedAt = this.clock();
  }

  protected get opened(): boolean {
    return (this.flags & OPENED) !== 0;
  }

  protected get failed(): boolean {
    return (this.flags & FAILED) !== 0;
  }

  protected get closingByUs(): boolean {
    return (this.flags & BY_US) !== 0;
  }

  /** The attempt neither opened nor failed yet. */
  protected get attempting(): boolean {
    return (this.flags & (OPENED | FAILED | DONE)) === 0;
  }

  /** What the end-of-run drain waits for (lib/core/drain.ts): an attempt still in flight, or pings awaiting pongs. */
  get inFlight(): boolean {
    return this.attempting || this.pendingPings > 0;
  }

  /** The runner closes this connection: what follows is no disconnect (unless it broke). False if it already did. */
  protected closeByUs(): boolean {
    if (this.closingByUs) return false;
    this.flags |= BY_US;
    return true;
  }

  /** The attempt failed with this class (timeout, refused, HTTP 503, ...); false if it had already ended. */
  protected attemptFailed(kind: string): boolean {
    if ((this.flags & (OPENED | FAILED)) !== 0) return false;
    this.flags |= FAILED;
    this.rec.connectError(kind);
    this.owner.settled(this);
    return true;
  }

  /**
   * The transport opened. False when the attempt was already given up (timed out, or closed by
   * the runner while connecting): the engine then closes it, and it is no session.
   */
  protected transportOpened(): boolean {
    if ((this.flags & (FAILED | BY_US | DONE)) !== 0) return false;
    this.flags |= OPENED;
    this.rec.trend(M.connecting, this.clock() - this.startedAt);
    this.rec.add(M.sessions);
    this.rec.opened();
    this.owner.settled(this);
    this.emit('open', { type: 'open' });
    return true;
  }

  /** An error of the transport, with its class: before open it fails the attempt; after, it names what broke the connection. */
  protected transportError(kind: string): void {
    if (!this.opened) {
      if (!this.closingByUs) this.attemptFailed(kind);
    } else {
      this.lastError ??= kind;
    }
    this.emit('error', { type: 'error', error: kind });
  }

  /** Closes the socket (each engine's own close: Socket.close). */
  abstract close(code?: number, reason?: string): void;

  /**
   * Socket.fail: the protocol above failed with class `kind`; the socket closes, and the connection
   * counts as lost under that class, not as closed on purpose.
   */
  fail(kind: string): void {
    this.brokenBy(kind);
    this.close(1000, '');
  }

  /** What broke an open connection, seen below the WebSocket (a reset): no event for the scenario. */
  protected brokenBy(kind: string): void {
    if (this.opened) this.lastError ??= kind;
  }

  /**
   * The transport closed (once; later calls are ignored). `unknownCodeClass` names a close whose
   * code the engine cannot know (k6 before 1.5), instead of classing it by `code`.
   */
  protected transportClosed(code: number, reason: string, unknownCodeClass?: string): void {
    if ((this.flags & DONE) !== 0) return;
    this.flags |= DONE;
    if (this.opened) {
      this.rec.closed();
      // a connection that broke (protocol error, reset) is lost even if the runner closed it afterwards
      if (!this.closingByUs || this.lastError) this.rec.disconnect(this.lastError ?? unknownCodeClass ?? classifyClose(code));
    } else if (!this.failed) {
      if (this.closingByUs) this.rec.add(M.connectAborted);
      else this.attemptFailed('closed before open');
    }
    this.pingsEnded();
    this.emit('close', { type: 'close', code, reason });
    this.dropListeners();
    this.owner.socketDone(this);
  }

  /** A send on an open connection: false (and `ws_send_buffer_full`) when the unsent bytes passed the limit. */
  protected admitSend(bufferedAmount: number): boolean {
    if (bufferedAmount > SEND_BUFFER_LIMIT) {
      this.rec.add(M.sendBufferFull);
      return false;
    }
    this.rec.add(M.msgsSent);
    return true;
  }

  /**
   * A message from the server (app pongs are heartbeats, not messages). `data` undefined: no
   * scenario listener wants it, so the engine need not decode it.
   */
  protected messageReceived(data: string | ArrayBuffer | undefined): void {
    this.rec.add(M.msgsReceived);
    if (data !== undefined) this.emitMessage(data);
  }
}
