import type { MqttVersion } from './mqtt-codec';

/**
 * The broker's own reasons, as failure classes a person can act on: CONNACK return codes of MQTT
 * 3.1.1 and the reason codes of MQTT 5.0, by their names in the two protocols' specifications.
 * The class holds the code and its name only (never a client id or a topic), so counts add up.
 */

const CONNACK_311: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

const REASONS_5: Record<number, string> = {
  0x04: 'disconnect with will message',
  0x80: 'unspecified error',
  0x81: 'malformed packet',
  0x82: 'protocol error',
  0x83: 'implementation specific error',
  0x84: 'unsupported protocol version',
  0x85: 'client identifier not valid',
  0x86: 'bad user name or password',
  0x87: 'not authorized',
  0x88: 'server unavailable',
  0x89: 'server busy',
  0x8a: 'banned',
  0x8b: 'server shutting down',
  0x8c: 'bad authentication method',
  0x8d: 'keep alive timeout',
  0x8e: 'session taken over',
  0x8f: 'topic filter invalid',
  0x90: 'topic name invalid',
  0x91: 'packet identifier in use',
  0x93: 'receive maximum exceeded',
  0x94: 'topic alias invalid',
  0x95: 'packet too large',
  0x96: 'message rate too high',
  0x97: 'quota exceeded',
  0x98: 'administrative action',
  0x99: 'payload format invalid',
  0x9a: 'retain not supported',
  0x9b: 'QoS not supported',
  0x9c: 'use another server',
  0x9d: 'server moved',
  0x9e: 'shared subscriptions not supported',
  0x9f: 'connection rate exceeded',
  0xa0: 'maximum connect time',
  0xa1: 'subscription identifiers not supported',
  0xa2: 'wildcard subscriptions not supported',
};

/** `MQTT <packet> <code> <name>`: e.g. `MQTT CONNACK 5 not authorized`, `MQTT CONNACK 135 not authorized`. */
export function mqttClass(packet: 'CONNACK' | 'SUBACK' | 'DISCONNECT', version: MqttVersion, code: number): string {
  const name = version === 4 && packet === 'CONNACK' ? CONNACK_311[code] : REASONS_5[code];
  return `MQTT ${packet} ${code}${name ? ` ${name}` : ''}`;
}
