import { hold, ramp, ScenarioOptions, VuContext } from '../lib';
import { checkMessaging, MessageMeter, MessagingExtra, messagingSettings, pace, peakWindow, plannedWall, ReconnectingSocket, sendPlan } from '../lib/helpers';
import { SocketIO, SocketIOExtra, socketioMetrics, socketioSettings, socketioUrl } from '../lib/protocols';

/**
 * IM chat over Socket.IO v4 (docs/protocols.md, "Socket.IO"): VU i connects to the chat namespace
 * (its token as `auth.token` with --tokens), joins room `<prefix>i` and, once every VU is up, emits
 * `msgSize`-byte messages at `msgRate` to room i+1, each with an ack. Measured: the open packet and
 * the CONNECT (`socketio_open_ms`, `socketio_connect_ms`), acks (`im_ack_rtt`), deliveries, the
 * server's pings (`heartbeat.*`), a CONNECT_ERROR as a failure class with the server's message.
 */
export const options: ScenarioOptions<MessagingExtra & SocketIOExtra> = {
  stages: [ramp('30s', 1000), hold('30s')],
  mode: 'messaging',
  metrics: socketioMetrics(),
  extra: { msgSize: 256, msgRate: 1, ioNamespace: '/chat', ioJoin: 'join', ioEvent: 'chat', ioRoomPrefix: 'u' },
};
checkMessaging(options.extra ?? {});
socketioSettings(options.extra ?? {});

export default function (vu: VuContext<MessagingExtra & SocketIOExtra>): void {
  const s = messagingSettings(vu.options.extra);
  const x = socketioSettings(vu.options.extra);
  if (s.roomSize > 0) throw new Error('scenarios/socketio.ts sends to the next user\'s room only: --room-size must be 0');
  const url = socketioUrl(vu.options.target, x.ioPath);
  const again = vu.options.reconnect;
  const socket = again ? new ReconnectingSocket(vu, () => vu.connect(url), again) : vu.connect(url);
  const io = new SocketIO(vu, socket);
  const chat = io.of(x.ioNamespace, vu.options.tokens ? { token: '${token}' } : undefined);
  const meter = new MessageMeter(vu);
  const to = `${x.ioRoomPrefix}${(vu.id + 1) % peakWindow(vu.options.stages).vus}`;
  chat.ready(() => chat.emit(x.ioJoin, [`${x.ioRoomPrefix}${vu.id}`])); // again after each reconnect
  chat.on(x.ioEvent, ([m]) => {
    const { from, seq, ts, planned } = m as { from: number; seq: number; ts: number; planned: number };
    meter.delivered(String(from), seq, ts, planned);
  });
  const body = x.ioBinary ? new Uint8Array(s.msgSize) : 'x'.repeat(s.msgSize);
  pace(vu, sendPlan(vu.options.stages, vu.id, { rate: s.msgRate, warmupMs: s.warmupMs, drainMs: s.drainMs }), (seq, plannedAt) => {
    const m = { from: vu.id, seq, ts: vu.wallNow(), planned: plannedWall(vu, plannedAt), body };
    if (chat.emit(x.ioEvent, [to, m], true, plannedAt)) meter.sent(1);
  });
  vu.onStop(() => io.close()); // DISCONNECT before the runner's close
  socket.addEventListener('close', () => meter.flush());
}
