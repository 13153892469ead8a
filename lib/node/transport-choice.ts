import type { Transport } from '../scenario/types';

/**
 * The client a run's `transport` names (docs/transport.md): `auto` (the default) is the raw client
 * (lib/node/raw-client.ts, lighter) unless the run needs what only `ws` has: permessage-deflate
 * (`compression`). runner/setup.ts resolves it before the run, so that the summary's options name
 * the client that ran. No imports of either client: the coordinator loads neither.
 */
export function concreteTransport(transport: Transport, compression: boolean): Exclude<Transport, 'auto'> {
  if (transport !== 'auto') return transport;
  return compression ? 'ws' : 'raw';
}
