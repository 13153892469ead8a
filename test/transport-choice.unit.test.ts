import { clientFor } from '../lib/node/client-choice';
import { rawClient } from '../lib/node/raw-client';
import { concreteTransport } from '../lib/node/transport-choice';
import { wsClient } from '../lib/node/ws-client';

/** `transport: 'auto'` (the default, docs/transport.md): raw unless compression needs ws; ws and raw are taken as given. */
test('auto is raw, or ws with compression; ws and raw as given', () => {
  expect([concreteTransport('auto', false), concreteTransport('auto', true)]).toEqual(['raw', 'ws']);
  expect([concreteTransport('ws', false), concreteTransport('raw', false), concreteTransport('ws', true)]).toEqual(['ws', 'raw', 'ws']);
  expect([clientFor('auto', false), clientFor('auto', true), clientFor('ws', false), clientFor('raw', false)]).toEqual([rawClient, wsClient, wsClient, rawClient]);
});
