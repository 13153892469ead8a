/** Failure classes a person can act on, with what to do about each. */
const HINTS: Array<[RegExp, string]> = [
  [/^EMFILE|^ENFILE/, 'open-files limit reached: lower connections per worker (--workers), or raise `ulimit -n`'],
  [/^EADDRNOTAVAIL|^EADDRINUSE/, 'ephemeral ports exhausted: rotate source addresses with --local-address (or widen net.ipv4.ip_local_port_range)'],
  [/^ETIMEDOUT|^timeout/, 'connect or handshake timed out: check the server\'s SYN/accept backlog (somaxconn, tcp_max_syn_backlog), its CPU, or the network'],
  [/^ECONNREFUSED/, 'nothing listens at the target, or its accept backlog overflowed: check the address and the server'],
  [/^ECONNRESET|^EPIPE/, 'the server or a middlebox reset the connection: check server logs and connection limits'],
  [/^HTTP 5\d\d/, 'the server rejected the upgrade: it is overloaded or refusing connections (check its limits and logs)'],
  [/^HTTP 4\d\d/, 'the server refused the upgrade: check the path, auth headers or tokens'],
  [/^TLS/, 'TLS handshake failed: use --ca for a private CA or --insecure for a self-signed certificate'],
  [/^ENOTFOUND|^EAI_AGAIN/, 'the target host name does not resolve'],
  [/^worker died/, 'a runner worker process died: see its stderr above (memory? killed?)'],
  [/^scenario error/, 'the scenario threw: fix the error named above'],
];

export function hintFor(kind: string): string | undefined {
  return HINTS.find(([re]) => re.test(kind))?.[1];
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|EPROTO|ERR_SSL|ERR_TLS|TLSV1/;

/** Maps an error from `ws`/`net`/`tls` to its failure class. */
export function classifyError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e?.message ?? String(err);
  const http = /Unexpected server response: (\d+)/.exec(message);
  if (http) return `HTTP ${http[1]}`;
  if (/handshake has timed out/i.test(message)) return 'timeout';
  const code = e?.code;
  if (code && TLS_CODES.test(code)) return `TLS ${code}`;
  if (/certificate|ssl|tls/i.test(message) && !code?.startsWith('E')) return `TLS ${code ?? message}`;
  if (code === 'WS_ERR_INVALID_CLOSE_CODE' || code?.startsWith('WS_ERR')) return code;
  if (code) return code;
  if (/Invalid Sec-WebSocket|Server sent/.test(message)) return 'bad handshake';
  return message.length > 60 ? message.slice(0, 60) : message;
}

/** Class of a connection closed by the other side. */
export function classifyClose(code: number, error?: string): string {
  if (error) return error;
  if (code === 1006) return '1006 abnormal closure';
  if (code === 1005) return '1005 no status';
  return `close ${code}`;
}
