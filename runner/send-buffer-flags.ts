import type { Argv } from 'yargs';
import { readValue } from '../lib/options/kinds';
import { ConfigError } from '../lib/scenario/config-error';
import type { SendBufferPolicy } from '../server/send-buffer';

/** `runner serve`'s send-buffer policy (server/send-buffer.ts, docs/slow-readers.md). */
export function sendBufferFlags<T>(y: Argv<T>) {
  return y
    .option('send-buffer-limit', { type: 'string', describe: 'refuse deliveries to a connection holding more than this unsent (e.g. 256KB): counted as sendBufferFull' })
    .option('send-buffer-close', { type: 'number', describe: 'close such a connection instead, with this code: 1008 or 1013 (needs --send-buffer-limit)' })
    .option('compression', { type: 'boolean', describe: 'take permessage-deflate when a client offers it (runner run --compression does, against the embedded server)' });
}

export interface SendBufferArgs {
  sendBufferLimit?: string;
  sendBufferClose?: number;
  compression?: boolean;
}

const SIZE_ROW = { name: 'send-buffer-limit', kind: 'size', doc: '' } as const;

/** The policy of the flags; undefined without --send-buffer-limit. */
export function sendBufferOptions(a: SendBufferArgs): SendBufferPolicy | undefined {
  if (a.sendBufferLimit === undefined) {
    if (a.sendBufferClose !== undefined) throw new ConfigError('--send-buffer-close needs --send-buffer-limit (e.g. --send-buffer-limit 256KB)');
    return undefined;
  }
  const limitBytes = readValue(SIZE_ROW, a.sendBufferLimit, '--send-buffer-limit') as number;
  const code = a.sendBufferClose;
  if (code === undefined) return { limitBytes };
  if (code !== 1008 && code !== 1013) throw new ConfigError(`--send-buffer-close must be 1008 or 1013 (got ${code})`);
  return { limitBytes, closeCode: code };
}
