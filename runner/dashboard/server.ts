import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { redactText } from '../../lib/core/redact';
import { listenError } from './address';

/** What the HTTP layer asks of the dashboard. */
export interface Routes {
  page(): string;
  metrics(): Promise<{ body: string; contentType: string }>;
  /** The summary so far (redacted), or undefined before the run started. */
  summary(): unknown;
  /** A page opened /events: the first events to send it; later ones come through `SseClient.send`. */
  subscribe(client: SseClient): void;
  unsubscribe(client: SseClient): void;
}

/** One open /events stream. */
export class SseClient {
  constructor(private readonly res: http.ServerResponse) {}

  send(event: string, data: unknown): void {
    this.res.write(redactText(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)); // no secret in any output (lib/core/redact.ts)
  }

  end(): void {
    this.res.end();
  }
}

export interface HttpServer {
  port: number;
  close(): Promise<void>;
}

const NO_STORE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/**
 * The dashboard's HTTP server: `/`, `/events` (Server-Sent Events), `/metrics`, `/summary.json`.
 * Read-only: anything but GET/HEAD is refused. A listen error (port in use, foreign host)
 * becomes one ConfigError line.
 */
export async function listen(host: string, port: number, routes: Routes): Promise<HttpServer> {
  const server = http.createServer((req, res) => void handle(req, res, routes));
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, host, port)));
    server.listen({ host, port, exclusive: true }, () => resolve());
  });
  server.on('error', () => undefined); // after listening, a client's error is that client's
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, routes: Routes): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://dashboard');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', ...NO_STORE }).end('read-only\n');
    return;
  }
  try {
    switch (url.pathname) {
      case '/':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...NO_STORE }).end(routes.page());
        return;
      case '/events': {
        res.writeHead(200, { 'content-type': 'text/event-stream', ...NO_STORE, connection: 'keep-alive' });
        res.write('retry: 1000\n\n');
        const client = new SseClient(res);
        req.on('close', () => routes.unsubscribe(client));
        routes.subscribe(client);
        return;
      }
      case '/metrics': {
        const m = await routes.metrics();
        res.writeHead(200, { 'content-type': m.contentType, ...NO_STORE }).end(redactText(m.body));
        return;
      }
      case '/summary.json': {
        const s = routes.summary();
        if (s === undefined) res.writeHead(503, { 'content-type': 'application/json', ...NO_STORE }).end('{"error":"the run has not started yet"}\n');
        else res.writeHead(200, { 'content-type': 'application/json', ...NO_STORE }).end(redactText(`${JSON.stringify(s, null, 2)}\n`));
        return;
      }
      default:
        res.writeHead(404, { 'content-type': 'text/plain', ...NO_STORE }).end('not found: /, /metrics and /summary.json are served\n');
    }
  } catch (err) {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain', ...NO_STORE });
    res.end(`error: ${(err as Error).message}\n`);
  }
}
