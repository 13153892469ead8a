/**
 * graphql-ws (`graphql-transport-ws`) for scenarios (docs/protocols.md, "graphql-ws"): the `GraphqlWs`
 * session over one wsbench Socket, its codec, its failure classes, and what it records (declare it
 * with `graphqlWsMetrics()`). Pure TypeScript: it bundles for the Node runner and for stock k6.
 */
import { requestMetrics } from '../helpers/request';
import type { CustomMetricKind } from '../scenario/types';
import { ACK_MS, DEFAULT_RESULTS, GRAPHQL_ERRORS, GraphqlWsOptions } from './graphql-ws-config';

export { GraphqlWs } from './graphql-ws-client';
export type { GraphqlSink } from './graphql-ws-client';
export { CLOSE_CODES, decode, encodeInit, encodeSubscribe, GRAPHQL_WS_SUBPROTOCOL, InvalidMessage, isPong } from './graphql-ws-codec';
export type { GraphqlError, GraphqlOperation, GraphqlResult, ServerMessage } from './graphql-ws-codec';
export { ACK_MS, errorClass, GRAPHQL_ERRORS, initPayload, NO_ACK } from './graphql-ws-config';
export type { GraphqlWsOptions } from './graphql-ws-config';

/** What a `GraphqlWs` session records by name, for `options.metrics` (its results' `Requests` included). */
export function graphqlWsMetrics(o: Pick<GraphqlWsOptions, 'results'> = {}): Record<string, CustomMetricKind> {
  return { [ACK_MS]: 'trend', [GRAPHQL_ERRORS]: 'counter', ...requestMetrics(o.results ?? DEFAULT_RESULTS) };
}
