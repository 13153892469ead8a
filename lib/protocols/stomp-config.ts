import { checkTemplate, expandTemplate, tokenFor } from '../core/templates';
import { ConfigError } from '../scenario/config-error';
import type { RequestOptions } from '../helpers/request';
import type { VuContext } from '../scenario/types';

/** The WebSocket subprotocols of STOMP (STOMP 1.2, "WebSocket"): offer them in `vu.connect(url, { protocols })`. */
export const STOMP_PROTOCOLS = ['v12.stomp', 'v11.stomp'];

/** Acknowledgement modes of SUBSCRIBE. */
export type AckMode = 'auto' | 'client' | 'client-individual';

/** Settings of a `Stomp` session; login, passcode and host may hold `${vu}` and `${token}`. */
export interface StompOptions {
  login?: string;
  passcode?: string;
  /** The virtual host (RabbitMQ's vhost, `/` by default). Default: the target's host name. */
  host?: string;
  /** Heart-beat offer `cx,cy` in ms, both directions. Default: `vu.options.pingIntervalMs`; 0: none. */
  heartbeatMs?: number;
  /** Where SEND receipts are timed (a `Requests`). Default wsbench's acks: `im_ack_rtt`, `im_ack_timeouts`. */
  receipts?: RequestOptions;
  /** Extra CONNECT headers (e.g. `client-id`). */
  headers?: Record<string, string>;
}

/**
 * Refuses a login, passcode or host naming an unknown placeholder, or `${token}` without tokens (the
 * data tokens: `--tokens FILE` or a list in `options.tokens`), in the engine's own words.
 */
export function checkCredentials(vu: VuContext<object>, o: StompOptions): void {
  const hasTokens = (vu.options.tokens?.length ?? 0) > 0;
  for (const key of ['login', 'passcode', 'host'] as const) {
    const t = o[key];
    if (t !== undefined) checkTemplate(t, `STOMP ${key}`, hasTokens);
  }
}

/** The CONNECT headers of VU `vu`: `${vu}` and `${token}` expanded as in the target (lib/core/vu-connection.ts). */
export function connectHeaders(vu: VuContext<object>, o: StompOptions): Record<string, string | undefined> {
  const vars = { vu: vu.id, token: tokenFor(vu.options, undefined, vu.id) };
  const x = (t: string | undefined): string | undefined => (t === undefined ? undefined : expandTemplate(t, vars));
  const hb = o.heartbeatMs ?? vu.options.pingIntervalMs;
  return {
    'accept-version': '1.2,1.1',
    host: x(o.host) ?? hostOf(vu.options.target),
    login: x(o.login),
    passcode: x(o.passcode),
    'heart-beat': `${hb},${hb}`,
    ...o.headers,
  };
}

function hostOf(url: string): string {
  const m = /^wss?:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#]*)/.exec(url);
  return m?.[1] ?? '/';
}

/** `options.extra` of scenarios/stomp.ts beyond the messaging settings (lib/helpers/messaging-settings.ts). */
export interface StompExtra {
  /** CONNECT login and passcode; `${vu}` and `${token}` allowed. Default "guest". */
  stompLogin?: string;
  stompPasscode?: string;
  /** The CONNECT host header: RabbitMQ's vhost. Default "/". */
  stompVhost?: string;
  /** Ack mode of each VU's subscription. Default "auto". */
  stompAck?: AckMode;
  /** Each VU's destination is this prefix and its index. Default "/queue/wsbench.". */
  stompPrefix?: string;
}

const ACK_MODES: readonly AckMode[] = ['auto', 'client', 'client-individual'];

/** Checks the STOMP settings of `extra` (one line naming the setting), and returns them with their defaults. */
export function stompSettings(extra: StompExtra | Record<string, unknown>): Required<StompExtra> {
  const e = extra as Record<string, unknown>;
  const text = (key: keyof StompExtra, dflt: string): string => {
    const v = e[key] ?? dflt;
    if (typeof v !== 'string' || (v === '' && key !== 'stompPasscode')) {
      throw new ConfigError(`options.extra.${key} must be a non-empty string (got ${JSON.stringify(v)})`);
    }
    return v;
  };
  const ack = e.stompAck ?? 'auto';
  if (!ACK_MODES.includes(ack as AckMode)) {
    throw new ConfigError(`options.extra.stompAck must be one of ${ACK_MODES.join(', ')} (got ${JSON.stringify(ack)})`);
  }
  return {
    stompLogin: text('stompLogin', 'guest'),
    stompPasscode: text('stompPasscode', 'guest'),
    stompVhost: text('stompVhost', '/'),
    stompAck: ack as AckMode,
    stompPrefix: text('stompPrefix', '/queue/wsbench.'),
  };
}
