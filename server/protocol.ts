/**
 * The embedded server's IM protocol (JSON text frames), a stand-in for an IM delivery service.
 * A connection names its user with `?uid=<id>` (or the `x-uid` header).
 *   {"type":"send","to":"<uid>","id":<any>,"ts":<ms>,"body":<any>}
 *       → {"type":"deliver","from":"<uid>","to":"<uid>","id":…,"ts":…,"body":…} to every open connection of <uid>,
 *         then {"type":"ack","id":…} to the sender
 *   {"type":"join","room":"r"} → {"type":"joined","room":"r"};  {"type":"leave","room":"r"} → {"type":"left","room":"r"}
 *   {"type":"send","room":"r",…} → deliver (with "room" instead of "to") to every member of r but the sending connection, then ack
 *   {"type":"ping"} → {"type":"pong"}
 *   anything else that starts with "{" → {"type":"error","error":"<what was wrong>"[,"id":…]}, and the connection stays open
 * Text that does not start with "{" is echoed back unchanged, as are binary frames.
 */
export type ClientFrame =
  | { type: 'send'; to: string; room?: undefined; id: unknown; ts: unknown; body: unknown }
  | { type: 'send'; room: string; to?: undefined; id: unknown; ts: unknown; body: unknown }
  | { type: 'join'; room: string }
  | { type: 'leave'; room: string }
  | { type: 'ping' };

export type ParseResult = { ok: true; frame: ClientFrame } | { ok: false; error: string; id?: unknown };

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** Parses and checks a client frame; never throws. An error names what was wrong. */
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
      if (!nonEmpty(f.room)) return { ok: false, error: `${f.type} needs a "room" string` };
      return { ok: true, frame: { type: f.type, room: f.room } };
    case 'send': {
      const common = { id: f.id, ts: f.ts, body: f.body };
      if (f.to !== undefined && f.room !== undefined) return { ok: false, error: 'send takes "to" or "room", not both', id: f.id };
      if (nonEmpty(f.to)) return { ok: true, frame: { type: 'send', to: f.to, ...common } };
      if (nonEmpty(f.room)) return { ok: true, frame: { type: 'send', room: f.room, ...common } };
      return { ok: false, error: 'send needs a "to" uid or a "room" (non-empty strings)', id: f.id };
    }
    case undefined:
      return { ok: false, error: 'frame needs a "type"' };
    default:
      return { ok: false, error: `unknown type ${JSON.stringify(f.type)}` };
  }
}

export function errorFrame(error: string, id?: unknown): string {
  return JSON.stringify(id === undefined ? { type: 'error', error } : { type: 'error', error, id });
}

/** The deliver frame of a send, serialised once for all its recipients. */
export function deliverFrame(from: string, f: Extract<ClientFrame, { type: 'send' }>): string {
  return f.room !== undefined
    ? JSON.stringify({ type: 'deliver', from, room: f.room, id: f.id, ts: f.ts, body: f.body })
    : JSON.stringify({ type: 'deliver', from, to: f.to, id: f.id, ts: f.ts, body: f.body });
}

export function ackFrame(id: unknown): string {
  return id === undefined ? '{"type":"ack"}' : `{"type":"ack","id":${JSON.stringify(id)}}`;
}
