import { utf8Length } from './stomp-utf8';

/**
 * STOMP 1.2 frames (docs/protocols.md, STOMP): a command line, header
 * lines `name:value`, an empty line, the body and a NUL. Pure TypeScript over strings, so that it
 * bundles for k6 (no Buffer, no TextEncoder: k6 before v2 has none).
 */
export interface StompFrame {
  command: string;
  /** Header values unescaped; a repeated header keeps its first value (STOMP 1.2, "Repeated Header Entries"). */
  headers: Record<string, string>;
  body: string;
}

/** Frames whose headers are never escaped (STOMP 1.2, "Value Encoding"): the handshake is read by 1.0 brokers too. */
const RAW_HEADERS = new Set(['CONNECT', 'STOMP', 'CONNECTED']);

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\r': '\\r', '\n': '\\n', ':': '\\c' };
const UNESCAPES: Record<string, string> = { '\\\\': '\\', '\\r': '\r', '\\n': '\n', '\\c': ':' };

export function escapeHeader(v: string): string {
  return v.replace(/[\\\r\n:]/g, (c) => ESCAPES[c] as string);
}

/** Undoes `escapeHeader`; an undefined escape sequence is a fatal error in STOMP 1.2. */
export function unescapeHeader(v: string): string {
  return v.replace(/\\./g, (s) => {
    const u = UNESCAPES[s];
    if (u === undefined) throw new Error(`STOMP: undefined escape sequence ${s} in a header`);
    return u;
  });
}

/**
 * The text of one frame. A non-empty body gets its `content-length` (UTF-8 bytes) unless the
 * caller set one; headers of CONNECT, STOMP and CONNECTED go out unescaped, as the spec says.
 */
export function encodeFrame(command: string, headers: Record<string, string | number | undefined> = {}, body = ''): string {
  const raw = RAW_HEADERS.has(command);
  let out = `${command}\n`;
  let hasLength = false;
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    if (k === 'content-length') hasLength = true;
    out += raw ? `${k}:${v}\n` : `${escapeHeader(k)}:${escapeHeader(String(v))}\n`;
  }
  if (body !== '' && !hasLength) out += `content-length:${utf8Length(body)}\n`;
  return `${out}\n${body}\0`;
}

/** Reads the command and header lines of a frame (the text before the empty line, EOLs `\n` or `\r\n`). */
export function parseHead(head: string): Pick<StompFrame, 'command' | 'headers'> {
  const lines = head.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const command = lines[0] ?? '';
  if (!/^[A-Z]+$/.test(command)) throw new Error(`STOMP: bad command line ${JSON.stringify(command.slice(0, 40))}`);
  const raw = RAW_HEADERS.has(command);
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon < 0) throw new Error(`STOMP: header line without ':' in ${command}: ${JSON.stringify(line.slice(0, 40))}`);
    const k = raw ? line.slice(0, colon) : unescapeHeader(line.slice(0, colon));
    if (k in headers) continue;
    headers[k] = raw ? line.slice(colon + 1) : unescapeHeader(line.slice(colon + 1));
  }
  return { command, headers };
}
