import fs from 'node:fs';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

/**
 * The Node engine writes and reads private members of `ws`'s WebSocket: lib/node/leave.ts
 * (`_socket`, `_readyState`, `Sender.frame`) and lib/node/raw-ws.ts (`_readyState`, `_isServer`,
 * `_bufferedAmount`, `_redirects`, `_url`, `_protocol`, `_errorEmitted`, `setSocket`, `emitClose`).
 * So package.json pins ws to one exact version, and this test fails when an upgrade changes any of
 * them: bump the pin only with this test green.
 */

const ROOT = path.join(__dirname, '..');
const json = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;

/** The private members, as lib/node/leave.ts and lib/node/raw-ws.ts use them. */
interface Internals {
  _socket: unknown;
  _readyState: unknown;
  _isServer: unknown;
  _bufferedAmount: unknown;
  _redirects: unknown;
  _url: unknown;
  _protocol: unknown;
  _errorEmitted: unknown;
  setSocket: unknown;
  emitClose: unknown;
}
const inside = (ws: WebSocket): Internals => ws as unknown as Internals;

describe('ws is pinned to the version whose private members the Node engine uses', () => {
  test('package.json asks for one exact version, the lockfile and node_modules hold it', () => {
    const pinned = (json('package.json').dependencies as Record<string, string>).ws;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const locked = (json('package-lock.json').packages as Record<string, { version?: string }>)['node_modules/ws'];
    expect(locked?.version).toBe(pinned);
    expect(JSON.parse(fs.readFileSync(require.resolve('ws/package.json'), 'utf8')).version).toBe(pinned);
  });

  test('the ready states are the WebSocket API values lib/node/leave.ts writes', () => {
    expect([WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED]).toEqual([0, 1, 2, 3]);
  });

  test("ws's own framing is there for closeFrame (lib/node/leave.ts)", () => {
    const sender = (WebSocket as unknown as { Sender: { frame: unknown } }).Sender;
    expect(typeof sender.frame).toBe('function');
  });

  test("a WebSocket made without an address (RawWebSocket's super call) connects nothing and takes the options raw-ws.ts gives", () => {
    const w = new WebSocket(null as unknown as string, undefined, { autoPong: true, maxPendingAutoPongs: 60, closeTimeout: 30_000 } as WebSocket.ClientOptions);
    const i = inside(w) as Internals & Record<'_autoPong' | '_maxPendingAutoPongs' | '_closeTimeout', unknown>;
    expect([i._readyState, i._socket, i._isServer, i._protocol, i._errorEmitted]).toEqual([WebSocket.CONNECTING, null, true, '', false]);
    expect([i._autoPong, i._maxPendingAutoPongs, i._closeTimeout]).toEqual([true, 60, 30_000]);
    // raw-ws.ts hands the upgraded socket over as WebSocketServer does, and ends a failed attempt with emitClose
    expect([typeof i.setSocket, (i.setSocket as (...a: unknown[]) => void).length, typeof i.emitClose]).toEqual(['function', 3, 'function']);
  });

  describe('an open client on loopback', () => {
    let wss: WebSocketServer;
    let url: string;
    const clients: WebSocket[] = [];
    beforeAll(async () => {
      wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'im' });
      await once(wss, 'listening');
      url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`;
    });
    afterAll(() => {
      // a failed assertion leaves its connection open: wss.close() waits for every one to end
      for (const c of [...clients, ...wss.clients]) c.terminate();
      return new Promise<void>((r) => wss.close(() => r()));
    });

    test("its _socket is the net.Socket with ws's four listeners (what leave() detaches), _readyState the number readyState reads", async () => {
      const ws = new WebSocket(url, ['im']);
      clients.push(ws);
      const serverSide = once(wss, 'connection');
      await once(ws, 'open');
      const w = inside(ws);
      expect(w._socket).toBeInstanceOf(net.Socket);
      const sock = w._socket as net.Socket;
      // ws's setSocket listeners, by name (net.Socket adds its own 'end' listener)
      const own = (e: string): string[] => sock.listeners(e).map((f) => f.name).filter((n) => n.startsWith('socketOn'));
      expect(['data', 'end', 'close', 'error'].map(own)).toEqual([['socketOnData'], ['socketOnEnd'], ['socketOnClose'], ['socketOnError']]);
      expect(w._readyState).toBe(WebSocket.OPEN);
      expect(w._isServer).toBe(false);
      expect(w._bufferedAmount).toBe(0);
      expect(w._redirects).toBe(0);
      expect(w._url).toBe(url);
      expect(w._protocol).toBe('im');
      expect(w._errorEmitted).toBe(false);
      // readyState is a getter over _readyState: leave() makes the client read CLOSED by writing it
      w._readyState = WebSocket.CLOSED;
      expect(ws.readyState).toBe(WebSocket.CLOSED);
      w._readyState = WebSocket.OPEN;
      const [peer] = (await serverSide) as [WebSocket];
      const closed = once(ws, 'close');
      peer.close(1000, 'done');
      expect((await closed).map(String)).toEqual(['1000', 'done']);
      expect(w._socket).toBe(sock); // ws keeps the socket it closed; leave() checks it is still writable
      expect(sock.destroyed).toBe(true);
    });
  });
});
