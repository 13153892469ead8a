/**
 * The embedded server's IM protocol (JSON text frames), a stand-in for an IM delivery service:
 *   {"type":"send","to":"<uid>","id":"<msgId>","ts":<ms>,"body":...}  → deliver to every connection of <uid>, ack the sender
 *   {"type":"join","room":"r"} / {"type":"send","room":"r",...}        → fan out to every member of room r
 *   {"type":"ping"}                                                     → {"type":"pong"}
 * Text that does not start with "{" is echoed back unchanged, as are binary frames.
 */
export type ClientFrame =
  | { type: 'send'; to?: string; room?: string; id?: unknown; ts?: unknown; body?: unknown }
  | { type: 'join'; room: string }
  | { type: 'leave'; room: string }
  | { type: 'ping' };

export interface DeliverFrame {
  type: 'deliver';
  from: string;
  to?: string;
  room?: string;
  id: unknown;
  ts: unknown;
  body: unknown;
}

export type ParseResult = { ok: true; frame: ClientFrame } | { ok: false; error: string };

export function parseClientFrame(text: string): ParseResult {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, error: 'malformed JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'frame must be a JSON object' };
  const f = v as Record<string, unknown>;
  switch (f.type) {
    case 'ping':
      return { ok: true, frame: { type: 'ping' } };
    case 'join':
    case 'leave':
      if (typeof f.room !== 'string' || f.room === '') return { ok: false, error: `${f.type} needs a "room" string` };
      return { ok: true, frame: { type: f.type, room: f.room } };
    case 'send':
      if ((typeof f.to !== 'string' || f.to === '') && (typeof f.room !== 'string' || f.room === '')) {
        return { ok: false, error: 'send needs a "to" uid or a "room"' };
      }
      return { ok: true, frame: f as ClientFrame };
    default:
      return { ok: false, error: `unknown type ${JSON.stringify(f.type)}` };
  }
}

export function errorFrame(error: string, id?: unknown): string {
  return JSON.stringify(id === undefined ? { type: 'error', error } : { type: 'error', error, id });
}
