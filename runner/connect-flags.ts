import fs from 'node:fs';
import { ConfigError } from '../lib/scenario/config-error';
import { parseDuration } from '../lib/scenario/duration';
import type { Overrides } from '../lib/options/options';
import { checkProtocols, parseHeaderFlags, parseTokenLines } from '../lib/core/vu-connection';

/** The flags of how each connection is made: handshake timeout, tokens, headers, subprotocols. */
export interface ConnectArgs {
  handshakeTimeout?: string;
  tokens?: string;
  header?: string[];
  subprotocol?: string[];
}

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

export function connectOverrides(a: ConnectArgs): Pick<Overrides, 'handshakeTimeoutMs' | 'tokens' | 'headers' | 'protocols'> {
  const out: ReturnType<typeof connectOverrides> = {};
  if (a.handshakeTimeout !== undefined) out.handshakeTimeoutMs = parseDuration(a.handshakeTimeout, '--handshake-timeout');
  if (a.tokens !== undefined) out.tokens = readTokensFile(a.tokens);
  // ${token} in a header is checked again against the scenario's tokens when the options resolve
  if (a.header !== undefined) out.headers = parseHeaderFlags(a.header, true);
  if (a.subprotocol !== undefined) out.protocols = checkProtocols(a.subprotocol, '--subprotocol');
  return out;
}
