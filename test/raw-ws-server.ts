import { createHash } from 'node:crypto';
import net from 'node:net';

/**
 * A TCP server that answers the upgrade and then writes exactly the bytes a test scripts: wrong
 * handshakes (bad accept, no Upgrade, an unasked subprotocol, an extension, not HTTP at all) and
 * frames the embedded and fault servers never send (fragments, interleaved control frames, a
 * fragmented control frame, reserved bits). Loopback, port 0.
 */
export interface ScriptedServer {
  url: string;
  /** Every request head received, in order. */
  heads: string[];
  close(): Promise<void>;
}

/** The accept value for a request head's Sec-WebSocket-Key. */
export function acceptOf(head: string): string {
  const key = /^sec-websocket-key: *(.+)$/im.exec(head)?.[1]?.trim() ?? '';
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

/** The usual 101 answer for `head`, with extra header lines. */
export function ok101(head: string, extra: string[] = []): string {
  return ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptOf(head)}`, ...extra, '', ''].join('\r\n');
}

/** One server frame (unmasked): fin, opcode, payload, optional RSV bits. */
export function frame(fin: boolean, opcode: number, payload: Buffer | string, rsv = 0): Buffer {
  const p = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const b0 = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  if (p.length < 126) return Buffer.concat([Buffer.from([b0, p.length]), p]);
  const h = Buffer.alloc(4);
  h[0] = b0;
  h[1] = 126;
  h.writeUInt16BE(p.length, 2);
  return Buffer.concat([h, p]);
}

/** A close frame with a code and reason. */
export function closeFrame(code: number, reason = ''): Buffer {
  const p = Buffer.alloc(2 + Buffer.byteLength(reason));
  p.writeUInt16BE(code, 0);
  p.write(reason, 2);
  return frame(true, 8, p);
}

/**
 * `answer(head, socket)` is called once the request head is in; it writes what it likes. Frames
 * the client sends afterwards are not parsed; a close frame from the client is answered with a
 * close frame and the socket ended, so a clean close completes.
 */
export function startScriptedServer(answer: (head: string, socket: net.Socket) => void): Promise<ScriptedServer> {
  const heads: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = '';
    let upgraded = false;
    socket.on('data', (chunk: Buffer) => {
      if (upgraded) {
        // client frames are masked: byte 0 low nibble is the opcode; answer a close with a close
        if ((chunk[0] ?? 0) & 0x0f && ((chunk[0] ?? 0) & 0x0f) === 8 && !socket.destroyed) socket.end(closeFrame(1000));
        return;
      }
      buf += chunk.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      upgraded = true;
      heads.push(buf.slice(0, end));
      answer(buf.slice(0, end), socket);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        url: `ws://127.0.0.1:${port}/ws`,
        heads,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
