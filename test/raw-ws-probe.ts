import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import WebSocket from 'ws';
import { classifyClose, classifyError } from '../lib/core/errors';
import { ConnectOpts, connectWithHooks } from '../lib/node/connect-hooks';
import { RawWebSocket } from '../lib/node/raw-ws';
import type { TransportHooks } from '../lib/node/transport';

/**
 * Drives ONE connection through the `ws` client or RawWebSocket exactly the way the Node adapter
 * (lib/node/socket.ts) drives it: the same constructor options, the same createConnection hooks
 * naming the phase (TCP up, TLS up), the same connect / handshake timers and the same failure
 * classes. What it records is compared between the two clients, and against known answers.
 */
export type Impl = 'ws' | 'raw';

export interface ProbeOptions {
  protocols?: string[];
  headers?: Record<string, string>;
  maxPayload?: number;
  connectTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  tls?: tls.ConnectionOptions;
  /** Called once open (send, ping, close from here). */
  onOpen?: (ws: WebSocket) => void;
  /** Close (1000) this long after open if still open; terminate after `terminateAfterMs` if still not closed. */
  closeAfterMs?: number;
  /** Called right after construction (e.g. terminate during the upgrade). */
  onCreate?: (ws: WebSocket) => void;
}

export interface Outcome {
  /** 'open' or the failure class of the attempt, as the adapter names it. */
  attempt: string;
  /** Events in order: open, message, pong, error:<class>, close:<code> (runs of message collapsed). */
  events: string[];
  messages: number;
  bytes: number;
  binary: number;
  pongs: number;
  pongPayloads: string[];
  closeCode?: number;
  closeReason?: string;
  /** The class an unexpected close is counted under (classifyClose), when the connection had opened and we did not close it. */
  disconnect?: string;
  protocol?: string;
  tcpUp: boolean;
  transportUp: boolean;
}

/** Throws the same way the Node adapter's constructor call would; returns the error's code/message. */
export function constructError(impl: Impl, url: string, protocols: string[] | undefined, headers?: Record<string, string>): string {
  try {
    const ws = impl === 'ws' ? new WebSocket(url, protocols, { headers, perMessageDeflate: false }) : new RawWebSocket(url, protocols, { headers, perMessageDeflate: false });
    ws.on('error', () => undefined);
    ws.terminate();
    return 'no error';
  } catch (err) {
    const e = err as { code?: string; message?: string; name?: string };
    return `${e.name}: ${e.code ?? ''} ${e.message}`;
  }
}

export function probe(impl: Impl, url: string, o: ProbeOptions = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const out: Outcome = { attempt: '', events: [], messages: 0, bytes: 0, binary: 0, pongs: 0, pongPayloads: [], tcpUp: false, transportUp: false };
    const startedAt = performance.now();
    const connectTimeoutMs = o.connectTimeoutMs ?? 5000;
    let opened = false;
    let failed = false;
    let closingByUs = false;
    let lastError: string | undefined;
    const fail = (kind: string): void => {
      if (opened || failed) return;
      failed = true;
      out.attempt = kind;
    };
    let ws: WebSocket;
    const onTimeout = (): void => {
      timer = undefined;
      if (ws.readyState !== WebSocket.CONNECTING) return;
      fail(!out.tcpUp ? 'connect timeout' : !out.transportUp ? 'TLS timeout' : 'timeout');
      ws.terminate();
    };
    let timer: NodeJS.Timeout | undefined = setTimeout(onTimeout, connectTimeoutMs);
    const transportUp = (): void => {
      out.transportUp = true;
      if (opened || failed || !timer) return;
      clearTimeout(timer);
      const left = connectTimeoutMs - (performance.now() - startedAt);
      timer = setTimeout(onTimeout, Math.max(0, Math.min(left, o.handshakeTimeoutMs ?? Infinity)));
    };
    const secure = url.startsWith('wss:');
    // the runner's own connect with hooks (lib/node/connect-hooks.ts), as both clients use it
    const hooks: TransportHooks = {
      tcpUp: () => (out.tcpUp = true),
      transportUp,
      rawError: (err: Error & { code?: string }) => {
        if (opened && !lastError && err.code) lastError = err.code;
      },
    };
    const createConnection = (opts: ConnectOpts): net.Socket => connectWithHooks(opts, hooks, secure);
    const options = { ...o.tls, perMessageDeflate: false as const, maxPayload: o.maxPayload ?? 1_048_576, headers: o.headers, createConnection };
    ws = impl === 'ws' ? new WebSocket(url, o.protocols, options as WebSocket.ClientOptions) : new RawWebSocket(url, o.protocols, options);
    // the runner's own abort (end of run) is a close by us
    const terminate = ws.terminate.bind(ws);
    ws.terminate = () => {
      if (!failed) closingByUs = true;
      terminate();
    };
    o.onCreate?.(ws);
    let last = '';
    const event = (e: string): void => {
      if (e === 'message' && last === 'message') return;
      out.events.push(e);
      last = e;
    };
    ws.on('open', () => {
      opened = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      out.attempt = 'open';
      out.protocol = ws.protocol;
      event('open');
      o.onOpen?.(ws);
      if (o.closeAfterMs !== undefined) {
        setTimeout(() => {
          if (ws.readyState !== WebSocket.OPEN) return;
          closingByUs = true;
          ws.close(1000, 'bye');
        }, o.closeAfterMs);
      }
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      out.messages++;
      out.bytes += data.length;
      if (isBinary) out.binary++;
      event('message');
    });
    ws.on('pong', (data: Buffer) => {
      out.pongs++;
      out.pongPayloads.push(data.toString('hex'));
      event('pong');
    });
    ws.on('error', (err: Error) => {
      const kind = classifyError(err);
      if (!opened) {
        if (!closingByUs) fail(kind);
      } else {
        lastError ??= kind;
      }
      event(`error:${kind}`);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (timer) clearTimeout(timer);
      if (!opened && !failed) out.attempt = closingByUs ? 'aborted' : 'closed before open';
      out.closeCode = code;
      out.closeReason = reason.toString();
      if (opened && (!closingByUs || lastError)) out.disconnect = classifyClose(code, lastError);
      event(`close:${code}`);
      resolve(out);
    });
  });
}

/** Runs the same probe against both clients, one after the other (the server's counters stay apart). */
export async function both(url: string | (() => Promise<string>), o: ProbeOptions = {}): Promise<{ ws: Outcome; raw: Outcome }> {
  const u = async (): Promise<string> => (typeof url === 'string' ? url : url());
  const ws = await probe('ws', await u(), o);
  const raw = await probe('raw', await u(), o);
  return { ws, raw };
}
