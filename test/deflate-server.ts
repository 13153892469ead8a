import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * A real `ws` server that negotiates permessage-deflate (every message compressed) and echoes
 * every message, and counts from its own sockets what crossed them after the upgrade: bytes read
 * (`bytesRead` less the upgrade request) and written (`bytesWritten` less the 101 answer, and less
 * its echo of the client's close frame, which a client that leaves never reads), and the
 * payloads (as decompressed) in and out. The ground truth for test/compression.test.ts.
 */
export interface DeflateCounts {
  connections: number;
  /** What each connection negotiated (`ws.extensions`), '' for none. */
  extensions: string[];
  wireIn: number;
  wireOut: number;
  payloadIn: number;
  payloadOut: number;
}

export interface DeflateServer {
  url: string;
  /** Counts of the connections that have closed. */
  counts(): DeflateCounts;
  /** Resolves once `n` connections have closed. */
  closed(n: number): Promise<void>;
  close(): Promise<void>;
}

/** `tls`: serve wss:// with this key and certificate (the counts are then of the TLS socket's cleartext: the frames). */
export async function startDeflateServer(compress = true, tls?: { key: string; cert: string }): Promise<DeflateServer> {
  const c: DeflateCounts = { connections: 0, extensions: [], wireIn: 0, wireOut: 0, payloadIn: 0, payloadOut: 0 };
  const waiters: Array<{ n: number; done: () => void }> = [];
  const server = tls ? https.createServer(tls) : http.createServer();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: compress ? { threshold: 0 } : false });
  server.on('upgrade', (req, socket: Socket, head) => {
    const requestBytes = socket.bytesRead - head.length; // the client sends nothing before the 101
    wss.handleUpgrade(req, socket, head, (ws) => {
      const answerBytes = socket.bytesWritten; // the 101, written by handleUpgrade
      c.extensions.push(ws.extensions);
      ws.on('message', (data: Buffer, isBinary) => {
        c.payloadIn += data.length;
        c.payloadOut += data.length;
        ws.send(data, { binary: isBinary });
      });
      ws.on('close', (code: number, reason: Buffer) => {
        // its echo of the close frame: 2 header bytes, the code, the reason (control frames are never compressed)
        const echo = code === 1005 ? 2 : 4 + reason.length;
        c.wireIn += socket.bytesRead - requestBytes;
        c.wireOut += socket.bytesWritten - answerBytes - echo;
        c.connections++;
        for (const w of waiters.splice(0)) if (c.connections >= w.n) w.done();
        else waiters.push(w);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'wss' : 'ws'}://127.0.0.1:${port}/`,
    counts: () => ({ ...c, extensions: [...c.extensions] }),
    closed: (n) => (c.connections >= n ? Promise.resolve() : new Promise((done) => waiters.push({ n, done }))),
    close: () =>
      new Promise<void>((done) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
