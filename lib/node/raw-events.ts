/**
 * The listener table of a RawWebSocket (lib/node/raw-ws.ts). A plain EventEmitter keeps its
 * listeners in a null-prototype object, which V8 holds in dictionary mode: about 340 bytes per
 * connection (bench/heap-by-type.js over bench/socket-memory.js's heap snapshot). This one has a
 * fixed shape with a slot per event lib/node/socket.ts and ws listen to, and no inherited names
 * (its prototype has no prototype and no `constructor`): what Node's own streams do for theirs.
 */
class Listeners {
  open = undefined;
  error = undefined;
  close = undefined;
  message = undefined;
  pong = undefined;
  ping = undefined;
  upgrade = undefined;
  'unexpected-response' = undefined;
}
Object.setPrototypeOf(Listeners.prototype, null);
Reflect.deleteProperty(Listeners.prototype, 'constructor');

/** Gives a freshly made emitter (no listener yet) the fixed-shape table. */
export function leanListeners(emitter: object): void {
  (emitter as { _events: object })._events = new Listeners();
}
