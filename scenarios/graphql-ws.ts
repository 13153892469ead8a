import { hold, ramp, ScenarioOptions, VuContext } from '../lib';
import { checkMessaging, MessageMeter, MessagingExtra, messagingSettings, pace, peakWindow, sendPlan } from '../lib/helpers';
import { GRAPHQL_WS_SUBPROTOCOL, GraphqlWs, graphqlWsMetrics } from '../lib/protocols';

/** `extra` of this scenario: the messaging settings and the topics' prefix. */
export type GraphqlWsExtra = MessagingExtra & { topicPrefix?: string };

const SUBSCRIPTION = 'subscription ($topic: String!) { messages(topic: $topic) }';
const MUTATION = 'mutation ($topic: String!, $body: String!) { send(topic: $topic, body: $body) }';

/**
 * IM traffic over a GraphQL gateway's subscriptions (docs/protocols.md, "graphql-ws"): VU i
 * subscribes to `messages(topic: "<prefix>i")` and, once every VU is up, sends `msgSize`-byte
 * messages at `msgRate` to VU i+1's topic through the `send` mutation, its result timed as the ack.
 * connection_init carries `${vu}` and, with `--tokens`, the VU's token. Measured: connection_ack
 * latency, mutation round trip (the summary's acks), ping/pong heartbeat, delivered/lost/duplicated,
 * delivery latency from the mutation to each `next`; a server's close code is its class (`close 4403`).
 */
export const options: ScenarioOptions<GraphqlWsExtra> = {
  stages: [ramp('10s', 100), hold('20s')],
  protocols: [GRAPHQL_WS_SUBPROTOCOL],
  mode: 'messaging',
  metrics: graphqlWsMetrics(),
  extra: { msgSize: 64, msgRate: 1 },
};
checkMessaging(options.extra ?? {});

export default function (vu: VuContext<GraphqlWsExtra>): void {
  const s = messagingSettings(vu.options.extra);
  if (s.roomSize > 0) throw new Error('scenarios/graphql-ws.ts sends to the next user only: --room-size must be 0');
  const prefix = vu.options.extra.topicPrefix ?? 'wsbench.';
  const to = `${prefix}${(vu.id + 1) % peakWindow(vu.options.stages).vus}`;
  const payload = vu.options.tokens ? { vu: '${vu}', token: '${token}' } : { vu: '${vu}' };
  const gql = new GraphqlWs(vu, vu.connect(), { payload });
  const meter = new MessageMeter(vu);
  gql.onReady(() => gql.subscribe({ query: SUBSCRIPTION, variables: { topic: `${prefix}${vu.id}` } }, {
    next: (r) => {
      const [from, seq, ts] = String(r.data?.messages).split(' ', 3);
      meter.delivered(String(from), Number(seq), Number(ts));
    },
  }));
  const pad = 'x'.repeat(s.msgSize);
  pace(vu, sendPlan(vu.options.stages, vu.id, { rate: s.msgRate, warmupMs: s.warmupMs, drainMs: s.drainMs }), (seq) => {
    const head = `${vu.id} ${seq} ${Math.round(vu.wallNow() * 1000) / 1000} `;
    if (gql.execute({ query: MUTATION, variables: { topic: to, body: head + pad.slice(head.length) } })) meter.sent(1);
  });
  gql.socket.addEventListener('close', () => meter.flush());
}
