import { MESSAGING_DEFAULTS } from '../lib/helpers/messaging-settings';
import type { OptionTable } from '../lib/options/table';

/**
 * The flags of `runner run` and `wsbench` that are no scenario option, in the shape of the option
 * table (lib/options/table.ts), so that runner/flags.ts builds their yargs options and --help the same
 * way. Here `default` is the flag's own (yargs applies it: there is no scenario value under it); each
 * flag is read by its own code (runner/flags.ts, runner/run-command.ts).
 */
export const RUN_FLAGS = [
  // the built-in messaging scenario's settings, laid over its options.extra (runner/flags.ts messagingExtra)
  { name: 'msgSize', kind: 'number', flag: 'msg-size', defaultDoc: String(MESSAGING_DEFAULTS.msgSize), doc: 'messaging: bytes per message frame' },
  { name: 'msgRate', kind: 'number', flag: 'msg-rate', defaultDoc: String(MESSAGING_DEFAULTS.msgRate), doc: 'messaging: messages per second per connection' },
  { name: 'roomSize', kind: 'number', flag: 'room-size', defaultDoc: String(MESSAGING_DEFAULTS.roomSize), doc: 'messaging: 0 sends to the next user; N >= 2 sends to rooms of N users' },
  {
    name: 'protocol', kind: 'enum', values: ['json', 'mqtt', 'stomp', 'graphql-ws'], flag: 'protocol', defaultDoc: 'json',
    doc: "wsbench --mode messaging: the wire protocol: json (the embedded server's, scenarios/messaging.ts) | mqtt (scenarios/mqtt.ts) | stomp (scenarios/stomp.ts) | graphql-ws (scenarios/graphql-ws.ts); all but json need --target",
  },
  { name: 'summaryExport', kind: 'string', flag: 'summary-export', doc: 'write the summary JSON to this file' },
  { name: 'outDir', kind: 'string', flag: 'out-dir', defaultDoc: 'bench/results/YYYYMMDD_HHMMSS', doc: 'results folder' },
  { name: 'workers', kind: 'whole', flag: 'workers', defaultDoc: 'from connections and the open-files limit', doc: 'worker processes' },
  { name: 'serverWorkers', kind: 'whole', flag: 'server-workers', defaultDoc: 'from connections', doc: 'processes of the embedded server' },
  { name: 'localAddress', kind: 'string', flag: 'local-address', doc: 'source addresses to rotate over: list or CIDR (127.0.0.0/24)' },
  { name: 'insecure', kind: 'boolean', flag: 'insecure', default: false, doc: 'accept any TLS certificate (self-signed)' },
  { name: 'ca', kind: 'string', flag: 'ca', doc: 'PEM file of a private CA for wss://' },
  { name: 'lang', kind: 'enum', values: ['en', 'zh'], flag: 'lang', default: 'en', doc: 'report language: en | zh' },
  { name: 'quiet', kind: 'boolean', flag: 'quiet', default: false, doc: 'no live progress' },
  { name: 'out', kind: 'string', flag: 'out', doc: 'k6-style output streamed during the run: json=FILE (NDJSON points, one batch per second)' },
  { name: 'force', kind: 'boolean', flag: 'force', default: false, doc: 'run a plan the preflight finds this machine cannot hold (memory, open files, ports)' },
  { name: 'segment', kind: 'string', flag: 'segment', doc: "this generator's share i/n of a split run, 0-based: 0/3, 1/3, 2/3 (JOB_COMPLETION_INDEX/N)" },
  // live endpoints (runner/dashboard)
  {
    name: 'dashboard', kind: 'string', flag: 'dashboard',
    doc: 'serve the live page, /metrics (Prometheus) and /summary.json on HOST:PORT during the run (bare flag: 127.0.0.1:5665)',
  },
  { name: 'dashboardLinger', kind: 'duration', zero: true, flag: 'dashboard-linger', defaultDoc: '0s', doc: 'keep serving the final state this long after the run, for a last scrape' },
] as const satisfies OptionTable;
