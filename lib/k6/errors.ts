/**
 * k6 reports connection failures as Go error text ("dial tcp 10.0.0.1:80: connect: connection
 * refused"). These map it onto the failure classes wsbench uses on Node (errno codes, `timeout`, ...),
 * so that `ws_connect_errors{error:ECONNREFUSED}` means the same on both engines.
 */
const goErrors = (): Array<[RegExp, string]> => [
  [/connection refused/i, 'ECONNREFUSED'],
  [/connection reset/i, 'ECONNRESET'],
  [/broken pipe/i, 'EPIPE'],
  [/i\/o timeout|deadline exceeded|timed? ?out/i, 'timeout'],
  [/no such host|server misbehaving/i, 'ENOTFOUND'],
  [/too many open files/i, 'EMFILE'],
  [/cannot assign requested address/i, 'EADDRNOTAVAIL'],
  [/address already in use/i, 'EADDRINUSE'],
  [/network is unreachable/i, 'ENETUNREACH'],
  [/no route to host/i, 'EHOSTUNREACH'],
  [/x509|tls:|certificate/i, 'TLS'],
  // gorilla/websocket gives no status for a refused upgrade; k6 tags ws_connecting with it (`status`)
  [/bad handshake/i, 'bad handshake'],
  [/unexpected EOF|EOF$/, 'closed before open'],
];

/** Made at the first error, not in every VU's init (bench/README.md "Cost per VU on k6"). */
let GO_ERRORS: Array<[RegExp, string]> | undefined;

/** Failure class of a k6 WebSocket error text. */
export function classifyK6Error(text: string | undefined): string {
  const t = text ?? '';
  for (const [re, kind] of (GO_ERRORS ??= goErrors())) if (re.test(t)) return kind;
  if (t === '') return 'error';
  return t.length > 60 ? t.slice(0, 60) : t;
}
