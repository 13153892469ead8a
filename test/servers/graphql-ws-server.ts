import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getOperationAST, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { WebSocketServer } from 'ws';

// the package's ws adapter, by its export name (tsconfig.json's node10 resolution reads no `exports`: the types by path)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { useServer } = require('graphql-ws/use/ws') as typeof import('graphql-ws/dist/use/ws.cjs');

/**
 * A GraphQL gateway for the graphql-ws tests, on the real libraries: `graphql` (the schema,
 * execution) and `graphql-ws`'s server over `ws` (the protocol). Schema:
 *   subscription { messages(topic: String!): String! }   a topic's bodies, one `next` each
 *   mutation { send(topic: String!, body: String!): Int! } publishes to the topic; the subscribers reached
 * over an in-process pubsub. onConnect checks connection_init's payload: `vu` must be a VU index
 * (the client's `${vu}`, expanded), and `token` the one given, when one is; otherwise it refuses
 * (the library closes with 4403). Everything is counted on the server's side.
 */

export interface GraphqlCounts {
  /** connection_init accepted / refused by onConnect. */
  acks: number;
  refused: number;
  /** Distinct `vu` values of the accepted payloads. */
  vus: Set<string>;
  subscriptions: number;
  /** `send` mutations executed, and subscribers they reached. */
  publishes: number;
  reached: number;
  /** `next` messages of subscriptions sent (the deliveries), and of mutations (their results). */
  delivered: number;
  results: number;
  /** `ping` messages the clients sent; `pong` answers to the server's own pings. */
  pings: number;
  pongs: number;
}

export interface GraphqlServer {
  url: string;
  counts: GraphqlCounts;
  close(): Promise<void>;
}

export interface GraphqlServerOptions {
  /** connection_init's payload must carry this `token`. */
  token?: string;
  /** Sends each client a `ping` message right after its connection_ack (its pong counted). */
  pingClients?: boolean;
  /** onConnect never answers: no connection_ack, no refusal (until the client gives up). */
  holdInits?: boolean;
}

/** An async iterator fed by `push`, ended by the subscriber (graphql-ws calls `return` on `complete` or close). */
class Feed implements AsyncIterableIterator<string> {
  private items: string[] = [];
  private waiters: Array<(r: IteratorResult<string>) => void> = [];
  private done = false;

  constructor(private readonly ended: () => void) {}

  push(v: string): void {
    const w = this.waiters.shift();
    if (w) w({ value: v, done: false });
    else this.items.push(v);
  }

  next(): Promise<IteratorResult<string>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as string, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((r) => this.waiters.push(r));
  }

  return(): Promise<IteratorResult<string>> {
    this.done = true;
    this.ended();
    for (const w of this.waiters.splice(0)) w({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<string> {
    return this;
  }
}

function schemaOver(topics: Map<string, Set<Feed>>, counts: GraphqlCounts): GraphQLSchema {
  const topicArg = { topic: { type: new GraphQLNonNull(GraphQLString) } };
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString, resolve: () => 'ok' } } }),
    mutation: new GraphQLObjectType({
      name: 'Mutation',
      fields: {
        send: {
          type: new GraphQLNonNull(GraphQLInt),
          args: { ...topicArg, body: { type: new GraphQLNonNull(GraphQLString) } },
          resolve: (_root, a: { topic: string; body: string }) => {
            const subs = topics.get(a.topic) ?? new Set<Feed>();
            counts.publishes++;
            counts.reached += subs.size;
            for (const f of subs) f.push(a.body);
            return subs.size;
          },
        },
      },
    }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        messages: {
          type: new GraphQLNonNull(GraphQLString),
          args: topicArg,
          subscribe: (_root, a: { topic: string }) => {
            const subs = topics.get(a.topic) ?? new Set<Feed>();
            topics.set(a.topic, subs);
            const feed: Feed = new Feed(() => subs.delete(feed));
            subs.add(feed);
            counts.subscriptions++;
            return feed;
          },
          resolve: (body: string) => body,
        },
      },
    }),
  });
}

/** Starts the gateway on a free loopback port: `ws://127.0.0.1:<port>/graphql`. */
export async function startGraphqlServer(o: GraphqlServerOptions = {}): Promise<GraphqlServer> {
  const counts: GraphqlCounts = { acks: 0, refused: 0, vus: new Set(), subscriptions: 0, publishes: 0, reached: 0, delivered: 0, results: 0, pings: 0, pongs: 0 };
  const topics = new Map<string, Set<Feed>>();
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: '/graphql' });
  useServer({
    schema: schemaOver(topics, counts),
    onConnect: (ctx) => {
      if (o.holdInits) return new Promise<boolean>(() => undefined);
      const p = ctx.connectionParams ?? {};
      const ok = typeof p.vu === 'string' && /^\d+$/.test(p.vu) && (o.token === undefined || p.token === o.token);
      if (!ok) {
        counts.refused++;
        return false;
      }
      counts.acks++;
      counts.vus.add(p.vu as string);
      if (o.pingClients) setImmediate(() => ctx.extra.socket.send('{"type":"ping"}'));
      return true;
    },
    onNext: (_ctx, _id, _payload, args) => {
      if (getOperationAST(args.document, args.operationName)?.operation === 'subscription') counts.delivered++;
      else counts.results++;
    },
    onPing: () => void counts.pings++,
    onPong: () => void counts.pongs++,
  }, wss);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    counts,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
