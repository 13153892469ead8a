import fs from 'node:fs';
import { ConfigError } from '../lib/scenario/config-error';
import type { Reader } from '../lib/options/inputs';
import { checkProtocols, parseHeaderFlags, parseTokenLines } from '../lib/core/vu-connection';

/** `--tokens FILE`: one token per line; VU i gets line i mod n. The file is read here, on the coordinator's side. */
export function readTokensFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`--tokens: cannot read ${file} (give a text file with one token per line)`);
  }
  return parseTokenLines(text, file);
}

/** `--ca FILE`: a PEM file holding at least one certificate. */
export function readCaFile(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`--ca: cannot read ${file} (give a PEM file of the CA certificate)`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(`--ca: ${file} is not a PEM certificate (expected a "-----BEGIN CERTIFICATE-----" block)`);
  }
  return text;
}

/**
 * The readers of how each connection is made (rows of lib/options/table.ts): the target as given
 * (checked with the options, naming --target), the tokens file, headers, subprotocols.
 */
export const CONNECT_READERS = {
  target: (raw) => raw.target,
  tokens: (raw) => readTokensFile(String(raw.tokens)),
  // ${token} in a header is checked again against the scenario's tokens when the options resolve
  headers: (raw) => parseHeaderFlags(raw.headers as string[], true),
  protocols: (raw, label) => checkProtocols(raw.protocols, label('protocols')),
} satisfies Record<string, Reader>;
