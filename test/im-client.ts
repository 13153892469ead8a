import { WebSocket } from 'ws';

/** A client that queues what it receives, so that a test can await the next frame or check there is none. */
export class Client {
  readonly ws: WebSocket;
  private readonly queue: string[] = [];
  private waiter: ((s: string) => void) | undefined;

  private constructor(url: string, headers?: Record<string, string>) {
    this.ws = new WebSocket(url, { headers });
    this.ws.on('message', (d, isBinary) => {
      const s = isBinary ? `binary:${(d as Buffer).toString('hex')}` : d.toString();
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w(s);
      } else this.queue.push(s);
    });
  }

  static async open(url: string, headers?: Record<string, string>): Promise<Client> {
    const c = new Client(url, headers);
    await new Promise<void>((res, rej) => {
      c.ws.once('open', () => res());
      c.ws.once('error', rej);
    });
    return c;
  }

  send(v: unknown): void {
    this.ws.send(typeof v === 'string' ? v : JSON.stringify(v));
  }

  next(timeoutMs = 2000): Promise<string> {
    const q = this.queue.shift();
    if (q !== undefined) return Promise.resolve(q);
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error('no frame within the timeout')), timeoutMs);
      this.waiter = (s) => {
        clearTimeout(t);
        res(s);
      };
    });
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.next());
  }

  /** Frames received so far and not read (after a round trip that proves the server is done). */
  async nothingMore(): Promise<void> {
    this.send({ type: 'ping' });
    expect(await this.next()).toBe('{"type":"pong"}');
    expect(this.queue).toEqual([]);
  }

  close(): void {
    this.ws.terminate();
  }
}
