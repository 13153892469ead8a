import {
  CLOSE_CODES, decode, encodeInit, encodeSubscribe, errorClass, graphqlWsMetrics, initPayload, InvalidMessage, isPong,
} from '../lib/protocols/graphql-ws';
import { CloseCode } from 'graphql-ws';
import { hintFor } from '../lib/core/errors';
import type { VuContext } from '../lib/scenario/types';

/** Just what initPayload reads of a VU: its index and its options' tokens. */
const vuWith = (id: number, tokens?: string[]): VuContext<object> => ({ id, options: { tokens } } as unknown as VuContext<object>);

describe('graphql-ws codec (lib/protocols/graphql-ws-codec.ts)', () => {
  test('what a client sends: connection_init with and without a payload, subscribe with its id', () => {
    expect(encodeInit()).toBe('{"type":"connection_init"}');
    expect(JSON.parse(encodeInit({ token: 't' }))).toEqual({ type: 'connection_init', payload: { token: 't' } });
    const op = { query: 'subscription ($t: String!) { messages(topic: $t) }', variables: { t: 'a "b"' } };
    expect(JSON.parse(encodeSubscribe('7', op))).toEqual({ id: '7', type: 'subscribe', payload: op });
  });

  test('what a server sends, read and checked', () => {
    expect(decode('{"type":"connection_ack"}')).toEqual({ type: 'connection_ack' });
    expect(decode('{"type":"connection_ack","payload":{"a":1}}')).toEqual({ type: 'connection_ack', payload: { a: 1 } });
    expect(decode('{"type":"ping","payload":null}')).toEqual({ type: 'ping' });
    expect(decode('{"id":"3","type":"next","payload":{"data":{"messages":"hé"}}}')).toEqual({ type: 'next', id: '3', payload: { data: { messages: 'hé' } } });
    expect(decode('{"id":"3","type":"error","payload":[{"message":"no"}]}')).toEqual({ type: 'error', id: '3', payload: [{ message: 'no' }] });
    expect(decode('{"id":"3","type":"complete"}')).toEqual({ type: 'complete', id: '3' });
  });

  test.each([
    ['{', 'not JSON'],
    ['[1]', 'not a JSON object'],
    ['{"type":"connection_ack","payload":[1]}', '"connection_ack" payload is not an object'],
    ['{"type":"next","payload":{}}', '"next" without an id'],
    ['{"id":"1","type":"next","payload":"x"}', '"next" payload is not an execution result'],
    ['{"id":"1","type":"error","payload":[{"msg":"x"}]}', '"error" payload is not a list of GraphQL errors'],
    ['{"id":"1","type":"data","payload":{}}', 'unknown type "data"'],
    ['{"type":"ka"}', 'unknown type "ka"'],
  ])('%s is no server message: %s', (text, why) => {
    expect(() => decode(text)).toThrow(new InvalidMessage(why));
  });

  test('a binary frame is no message of this protocol', () => {
    expect(() => decode(new ArrayBuffer(2))).toThrow(InvalidMessage);
  });

  test('the pong of the heartbeat, with or without a payload; nothing else is', () => {
    expect(isPong('{"type":"pong"}')).toBe(true);
    expect(isPong('{"type":"pong","payload":{"x":1}}')).toBe(true);
    expect(isPong('{"type":"ping"}')).toBe(false);
    expect(isPong('{"id":"1","type":"next","payload":{"data":{"messages":"pong"}}}')).toBe(false);
    expect(isPong('"pong"')).toBe(false);
    expect(isPong(new ArrayBuffer(4))).toBe(false);
  });

  test('the close codes are the graphql-ws library\'s, each with a hint naming its meaning', () => {
    // the library's codes a server sends: 4504 (no connection_ack) is its client's own, as are those under 4400
    const lib = Object.values(CloseCode).filter((v): v is number => typeof v === 'number' && v >= 4400 && v !== 4504);
    expect(Object.keys(CLOSE_CODES).map(Number).sort()).toEqual(lib.sort());
    for (const code of Object.keys(CLOSE_CODES)) expect(hintFor(`close ${code}`)).toMatch(new RegExp(`^graphql-ws: ${code}`));
    expect(hintFor('close 4403')).toContain('refused connection_init');
  });
});

describe('graphql-ws settings (lib/protocols/graphql-ws-config.ts)', () => {
  test('connection_init\'s payload: ${vu} and ${token} expanded at any depth, other values kept', () => {
    const p = { vu: '${vu}', auth: { bearer: 'Bearer ${token}', n: 3, list: ['${vu}-${token}', true] }, none: null };
    expect(initPayload(vuWith(4, ['a', 'b']), p)).toEqual({ vu: '4', auth: { bearer: 'Bearer a', n: 3, list: ['4-a', true] }, none: null });
    expect(initPayload(vuWith(5, ['a', 'b']), p)).toMatchObject({ auth: { bearer: 'Bearer b' } });
  });

  test('${token} without tokens: one line naming the fix', () => {
    expect(() => initPayload(vuWith(0), { token: '${token}' })).toThrow('"${token}" uses ${token} but the run has no tokens: pass --tokens FILE');
  });

  test('an error message\'s class: the first error, ids and quoted names masked, one line', () => {
    expect(errorClass([{ message: 'Cannot query field "nope" on type "Subscription".' }, { message: 'x' }]))
      .toBe('graphql-ws error: Cannot query field "…" on type "…".');
    expect(errorClass([{ message: 'user 12345 not allowed\nstack' }])).toBe('graphql-ws error: user N not allowed');
    expect(errorClass([])).toBe('graphql-ws error: no message');
    expect(errorClass([{ message: 'y'.repeat(200) }])).toHaveLength('graphql-ws error: '.length + 80);
    expect(hintFor(errorClass([{ message: 'x' }]))).toContain('check the query');
  });

  test('what a session records, for options.metrics', () => {
    expect(graphqlWsMetrics()).toEqual({ graphql_ws_ack_ms: 'trend', graphql_ws_errors: 'counter', im_ack_rtt: 'trend', im_ack_timeouts: 'counter' });
    expect(graphqlWsMetrics({ results: { trend: 'send_ms', acks: true } })).toEqual({
      graphql_ws_ack_ms: 'trend', graphql_ws_errors: 'counter', send_ms: 'trend', send_ms_timeouts: 'counter', im_ack_rtt: 'trend', im_ack_timeouts: 'counter',
    });
  });
});
