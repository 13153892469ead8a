import type { Transport } from '../scenario/types';
import { rawClient } from './raw-client';
import type { WsClientFactory } from './transport';
import { concreteTransport } from './transport-choice';
import { wsClient } from './ws-client';

/** The factory of the client a run's `transport` names (lib/node/transport-choice.ts; `auto` included). */
export function clientFor(transport: Transport, compression: boolean): WsClientFactory {
  return concreteTransport(transport, compression) === 'raw' ? rawClient : wsClient;
}
