import net from 'node:net';
import tls from 'node:tls';
import { ConnectOpts, hookSocket, tlsOptions } from './connect-hooks';
import type { ProxyRoute, TransportHooks } from './transport';

/** The code of every proxy failure: lib/core/errors.ts classes it by its message ("proxy HTTP 407", "proxy ECONNREFUSED"). */
export const PROXY_ERROR = 'WSBENCH_PROXY';
const MAX_ANSWER_BYTES = 16 * 1024;

function proxyError(what: string): Error {
  return Object.assign(new Error(`proxy ${what}`), { code: PROXY_ERROR });
}

/** The CONNECT request for `host:port` (an IPv6 host in brackets). */
export function connectRequest(host: string, port: number, authorization: string | undefined): string {
  const authority = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
  const auth = authorization === undefined ? '' : `Proxy-Authorization: ${authorization}\r\n`;
  return `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`;
}

/** The status of a CONNECT answer's head, or an error for an answer that is no HTTP/1.x. */
function answerStatus(head: string): number | undefined {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  return m ? Number(m[1]) : undefined;
}

/**
 * Opens a tunnel through an HTTP proxy (`CONNECT host:port`) and hands `done` the socket to speak
 * WebSocket over: the tunnel itself for ws://, TLS inside it for wss:// (so the proxy sees only
 * ciphertext, and the certificate checked is the target's). The hooks see TCP up when the proxy
 * answers 200 (the tunnel is the TCP connection to the target), transport up then (ws://) or at the
 * TLS handshake's end (wss://). Every failure before the tunnel (refused or unreachable proxy, an
 * answer other than 200, a hang-up, no answer within the timeout) is one error coded PROXY_ERROR.
 * An HTTP client's `createConnection(opts, done)` and RawWebSocket's take it as is.
 */
export function connectViaProxy(opts: ConnectOpts, hooks: TransportHooks, secure: boolean, route: ProxyRoute, done: (err: Error | null, socket?: net.Socket) => void): void {
  const s = net.connect({ host: route.host, port: route.port, localAddress: (opts as net.TcpNetConnectOpts).localAddress });
  let answer: Buffer = Buffer.alloc(0);
  let settled = false;
  const finish = (err: Error | undefined): void => {
    if (settled) return;
    settled = true;
    s.removeListener('data', onData).removeListener('error', onError).removeListener('close', onClose).removeListener('timeout', onTimeout);
    s.setTimeout(0);
    if (err) {
      s.on('error', ignore);
      s.destroy();
      done(err);
      return;
    }
    hooks.tcpUp();
    if (!secure) {
      hookSocket(s, hooks, undefined);
      hooks.transportUp();
      done(null, s);
      return;
    }
    const t = tls.connect({ ...tlsOptions(opts), socket: s });
    done(null, hookSocket(t, hooks, 'secureConnect'));
  };
  const onData = (chunk: Buffer): void => {
    answer = answer.length === 0 ? chunk : Buffer.concat([answer, chunk]);
    const end = answer.indexOf('\r\n\r\n', 0, 'latin1');
    if (end < 0) {
      if (answer.length > MAX_ANSWER_BYTES) finish(proxyError('answer too long'));
      return;
    }
    const status = answerStatus(answer.toString('latin1', 0, Math.min(end, 64)));
    if (status === undefined) return finish(proxyError('answer is not HTTP'));
    if (status !== 200) return finish(proxyError(`HTTP ${status}`));
    // nothing may follow the answer: the target speaks only after the upgrade request (or TLS hello) is sent
    if (answer.length > end + 4) return finish(proxyError('sent data before the tunnel was used'));
    finish(undefined);
  };
  const onError = (err: Error & { code?: string }): void => finish(proxyError(err.code ?? err.message.slice(0, 40)));
  const onClose = (): void => finish(proxyError('closed the connection before answering CONNECT'));
  const onTimeout = (): void => finish(proxyError('did not answer CONNECT in time'));
  s.on('data', onData).on('error', onError).on('close', onClose).on('timeout', onTimeout);
  s.setTimeout(route.timeoutMs);
  s.once('connect', () => s.write(connectRequest(opts.host ?? 'localhost', Number(opts.port), route.authorization)));
}

function ignore(): void {}
