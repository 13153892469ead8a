import type net from 'node:net';
import { M } from '../core/metric-names';
import type { Recorder } from '../core/recorder';

/**
 * The bytes of one connection (docs/transport.md, "Compression"): the payloads of its data frames
 * as the scenario sent and received them (before compression), and what crossed its socket after
 * the upgrade, read from the socket itself: `bytesWritten` less the upgrade request, `bytesRead`
 * less the upgrade answer (its length found by `watchUpgradeAnswer`). Recorded once, when it ends.
 */
export class WireBook {
  payloadOut = 0;
  payloadIn = 0;
  private socket: net.Socket | undefined;
  private requestBytes = 0;
  /** With `compression` asked: whether the server took permessage-deflate. */
  private deflate: boolean | undefined;

  /**
   * The upgrade succeeded: what was written so far is the upgrade request (nothing else goes out
   * before open). `extensions`: what the server took, when compression was offered.
   */
  opened(socket: net.Socket | undefined, extensions?: string): void {
    this.socket = socket;
    this.requestBytes = socket?.bytesWritten ?? 0;
    if (extensions !== undefined) this.deflate = extensions.split(',').includes('permessage-deflate');
  }

  /** The connection ended: its counts go to the recorder (nothing when it never opened). */
  record(rec: Recorder): void {
    const s = this.socket;
    if (!s) return;
    this.socket = undefined;
    rec.add(M.payloadSent, this.payloadOut);
    rec.add(M.payloadReceived, this.payloadIn);
    rec.add(M.wireSent, s.bytesWritten - this.requestBytes);
    rec.add(M.wireReceived, s.bytesRead - upgradeAnswerBytes(s));
    if (this.deflate !== undefined) rec.add(M.deflateConns, this.deflate ? 1 : 0);
  }
}

/** Bytes of a data frame's payload as given to send(). */
export function payloadBytes(data: string | ArrayBuffer | Uint8Array): number {
  return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
}

const ANSWER = Symbol('wsbench.upgrade-answer');
/** While watching: the head so far and the bytes before it; once found, its byte count alone (a small integer: no object kept per connection). */
type Watched = net.Socket & { [ANSWER]?: { text: string; bytes: number } | number };
/** An interim answer (`100 Continue`) before the upgrade's: its bytes are the upgrade's too. */
const INTERIM = /^HTTP\/\d\.\d 1(?!01)\d\d/;

function onData(this: Watched, chunk: Buffer): void {
  const w = this[ANSWER];
  if (w === undefined || typeof w === 'number') return;
  w.text += chunk.toString('latin1');
  for (let end = w.text.indexOf('\r\n\r\n'); end >= 0; end = w.text.indexOf('\r\n\r\n')) {
    const interim = INTERIM.test(w.text);
    w.bytes += end + 4;
    w.text = w.text.slice(end + 4);
    if (!interim) {
      this[ANSWER] = w.bytes;
      this.removeListener('data', onData);
      return;
    }
  }
  // a head is at most a few KiB (ws and the raw client refuse longer ones): stop watching past that
  if (w.text.length > 65_536) this.removeListener('data', onData);
}

/** Watches the first bytes a socket reads for the end of the upgrade answer's head (the blank line). */
export function watchUpgradeAnswer(s: net.Socket): void {
  // what was read before (a proxy's answer to CONNECT, lib/node/proxy-connect.ts) is no frame either
  (s as Watched)[ANSWER] = { text: '', bytes: s.bytesRead };
  s.prependListener('data', onData);
}

/** Bytes read before the first frame: the upgrade answer (status line, headers, blank line, any interim answer before it) and a proxy's answer to CONNECT. */
export function upgradeAnswerBytes(s: net.Socket): number {
  const a = (s as Watched)[ANSWER];
  return typeof a === 'number' ? a : a?.bytes ?? 0;
}
