import { PROTOCOL_HINTS } from './protocol-hints';

/**
 * Failure classes a person can act on, with what to do about each (first match wins). Made at the
 * first `hintFor`, not when the module loads: a k6 VU imports this module for `classifyClose` and
 * never builds these (bench/README.md "Cost per VU on k6").
 */
const hints = (): Array<[RegExp, string]> => [
  ...PROTOCOL_HINTS,
  [/^proxy HTTP 407/, 'the proxy wants credentials: give them in the proxy URL, http://user:password@host:port (--proxy or HTTPS_PROXY)'],
  [/^proxy HTTP/, 'the proxy refused the CONNECT tunnel (its access rules: allowed ports, ConnectPort, ACLs): check its log'],
  [/^proxy/, 'the proxy (--proxy, or HTTP_PROXY/HTTPS_PROXY) could not be reached or broke off: check its address and that it runs'],
  [/^EMFILE|^ENFILE/, 'open-files limit reached: lower connections per worker (--workers), or raise `ulimit -n`'],
  [/^EADDRNOTAVAIL|^EADDRINUSE/, 'ephemeral ports exhausted: rotate source addresses with --local-address (or widen net.ipv4.ip_local_port_range)'],
  [/^connect timeout|^ETIMEDOUT/, 'TCP connect timed out: the server\'s SYN/accept backlog overflowed (somaxconn, tcp_max_syn_backlog), a firewall drops packets, or the host is down'],
  [/^TLS timeout/, 'TLS handshake timed out: the server (or its TLS terminator) is short of CPU, or it does not speak TLS on this port'],
  [/^timeout/, 'the server accepted TCP but did not answer the upgrade in time (--handshake-timeout): its accept loop or CPU is overloaded'],
  [/^ECONNREFUSED/, 'nothing listens at the target, or its accept backlog overflowed: check the address and the server'],
  [/^ECONNRESET|^EPIPE/, 'the server or a middlebox reset the connection: check server logs and connection limits'],
  [/^HTTP 5\d\d/, 'the server rejected the upgrade: it is overloaded or refusing connections (check its limits and logs)'],
  [/^HTTP 401|^HTTP 403/, 'the server refused the credentials: check --tokens, the ${token} in the target, or the auth headers'],
  [/^HTTP 4\d\d/, 'the server refused the upgrade: check the path, auth headers or tokens'],
  [/CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|HANDSHAKE_FAILURE|CLIENT_CERT/, 'the server refused the client certificate (or wants one): give --cert and --key, signed by a CA the server trusts'],
  [/^TLS/, 'TLS handshake failed: use --ca for a private CA or --insecure for a self-signed certificate'],
  [/^ENOTFOUND|^EAI_AGAIN/, 'the target host name does not resolve'],
  [/^bad handshake/, 'the server answered the upgrade wrongly (subprotocol or headers): check --subprotocol and the server'],
  [/^1006/, 'the connection dropped without a close frame: the server crashed or restarted, or a proxy/idle timeout cut it'],
  [/^1009/, 'a message exceeded options.maxMessageSize (default 1MB): raise it, or check why the server sends such messages'],
  [/^100[27]|^protocol error/, 'the server sent a malformed frame (bad opcode, bad UTF-8, masked or bad length): a server or proxy bug'],
  [/^close 1001/, 'the server is going away (restart or deploy)'],
  [/^close 1011|^close 1013/, 'the server hit an error or is overloaded (try again later)'],
  [/^close 4\d\d\d/, 'an application close code of the server: see its protocol'],
  [/^worker died/, 'a runner worker process died: see its stderr above (memory? killed?)'],
  [/^scenario error/, 'the scenario threw: fix the error named above'],
];
let HINTS: Array<[RegExp, string]> | undefined;

export function hintFor(kind: string): string | undefined {
  return (HINTS ??= hints()).find(([re]) => re.test(kind))?.[1];
}

/** The classes that occurred (count > 0), most frequent first. */
export function byCount(counts: Record<string, number>): Array<[string, number]> {
  return Object.entries(counts).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|EPROTO|ERR_SSL|ERR_TLS|TLSV1|HOSTNAME_MISMATCH/;

/** Protocol errors of `ws` (the server broke the framing), named by the close code the runner sends back. */
const WS_PROTOCOL: Record<string, string> = {
  WS_ERR_INVALID_UTF8: '1007 invalid UTF-8',
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: '1009 message too big',
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: '1009 message too big',
  WS_ERR_INVALID_OPCODE: '1002 invalid opcode',
  WS_ERR_UNEXPECTED_MASK: '1002 masked frame from server',
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: '1002 invalid control frame',
  WS_ERR_EXPECTED_FIN: '1002 fragmented control frame',
  WS_ERR_UNEXPECTED_RSV_1: '1002 unexpected RSV bits',
  WS_ERR_UNEXPECTED_RSV_2_3: '1002 unexpected RSV bits',
  WS_ERR_INVALID_CLOSE_CODE: '1002 invalid close code',
};

/** Maps an error from `ws`/`net`/`tls` to its failure class. */
export function classifyError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e?.message ?? String(err);
  // a proxy's failure is named by lib/node/proxy-connect.ts, whatever errno lies under it
  if (e?.code === 'WSBENCH_PROXY') return message.slice(0, 60);
  const http = /Unexpected server response: (\d+)/.exec(message);
  if (http) return `HTTP ${http[1]}`;
  if (/handshake has timed out/i.test(message)) return 'timeout';
  const code = e?.code;
  if (code && WS_PROTOCOL[code]) return WS_PROTOCOL[code] as string;
  if (code && TLS_CODES.test(code)) return `TLS ${code}`;
  if (/certificate|ssl|tls/i.test(message) && !code?.startsWith('E')) return `TLS ${code ?? message}`;
  if (code?.startsWith('WS_ERR')) return `protocol error ${code}`;
  if (code) return code;
  if (/Invalid Sec-WebSocket|Server sent|subprotocol/i.test(message)) return `bad handshake: ${message.slice(0, 60)}`;
  return message.length > 60 ? message.slice(0, 60) : message;
}

/** Class of a connection closed by the other side: the error that broke it, else its close code. */
export function classifyClose(code: number, error?: string): string {
  if (error) return error;
  if (code === 1006) return '1006 abnormal closure';
  if (code === 1005) return '1005 no status';
  return `close ${code}`;
}
