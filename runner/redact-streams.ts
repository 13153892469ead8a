import { redactText } from '../lib/core/redact';

const PATCHED = Symbol('wsbench.redacted');

/**
 * Every string written to `stream` passes the process's redactor (lib/core/redact.ts) first: the
 * summary, live progress, notes, warnings and error lines alike, whoever writes them.
 */
export function redactWrites(stream: NodeJS.WritableStream): void {
  const s = stream as NodeJS.WritableStream & { [PATCHED]?: true };
  if (s[PATCHED]) return;
  s[PATCHED] = true;
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) =>
    write(typeof chunk === 'string' ? redactText(chunk) : chunk instanceof Uint8Array ? redactText(Buffer.from(chunk).toString('utf8')) : chunk, ...rest)) as typeof stream.write;
}
