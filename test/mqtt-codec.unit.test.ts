import { fromUtf8, utf8 } from '../lib/protocols/bytes';
import { encodeAck, encodeConnect, encodePublish, encodeSubscribe, PacketStream } from '../lib/protocols/mqtt-codec';
import { mqttClass } from '../lib/protocols/mqtt-reasons';
import { hintFor } from '../lib/core/errors';

/** The MQTT codec (lib/protocols/mqtt-codec.ts) on bytes from the specifications' layouts and from a real mosquitto 2.0. */
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

describe('MQTT codec', () => {
  test('CONNECT 3.1.1 with user name, password and a will; 5.0 with its empty properties', () => {
    const c = encodeConnect({ version: 4, clientId: 'c1', keepAliveSec: 30, clean: true, username: 'u', password: 'p', will: { topic: 't', payload: utf8('bye'), qos: 1, retain: true } });
    // 10, remaining 28; "MQTT", level 4, flags user|password|will retain|will QoS 1|will|clean = 0xee, keep alive 30
    expect(hex(c)).toBe('101c00044d51545404ee001e000263310001740003627965000175000170');
    const c5 = encodeConnect({ version: 5, clientId: 'c1', keepAliveSec: 10, clean: true, sessionExpirySec: 60 });
    expect(hex(c5)).toBe('101400044d5154540502000a05110000003c00026331');
  });

  test('PUBLISH QoS 0 and 2, acks, SUBSCRIBE', () => {
    expect(hex(encodePublish(4, { topic: 'a/b', payload: utf8('hi'), qos: 0, retain: false, dup: false, id: 0 }))).toBe('30070003612f626869');
    expect(hex(encodePublish(5, { topic: 'a', payload: utf8('x'), qos: 2, retain: true, dup: false, id: 7 }))).toBe('350700016100070078');
    expect(hex(encodeAck('pubrel', 258))).toBe('62020102');
    expect(hex(encodeSubscribe(4, 1, [{ topic: 'a', qos: 1 }]))).toBe('8206000100016101');
  });

  test("mosquitto's own packets: CONNACK 5.0 with properties, a refusal, SUBACK, packets split across and packed into frames", () => {
    const s5 = new PacketStream(5);
    expect(s5.push(bytes('200900000622000a210014'))).toEqual([{ type: 'connack', sessionPresent: false, code: 0 }]);
    expect(s5.push(bytes('900400010001'))).toEqual([{ type: 'suback', id: 1, codes: [1] }]);
    expect(new PacketStream(5).push(bytes('2003008700'))).toEqual([{ type: 'connack', sessionPresent: false, code: 135 }]);
    const s4 = new PacketStream(4);
    expect(s4.push(bytes('20020005'))).toEqual([{ type: 'connack', sessionPresent: false, code: 5 }]);
    // a PUBLISH QoS 1 cut after its topic, then the rest with a PINGRESP behind it
    expect(s4.push(bytes('320700017400'))).toEqual([]);
    const [p, ping] = s4.push(bytes('096869d000'));
    expect(p).toMatchObject({ type: 'publish', topic: 't', qos: 1, id: 9, retain: false, dup: false });
    expect(fromUtf8((p as { payload: Uint8Array }).payload)).toBe('hi');
    expect(ping).toEqual({ type: 'pingresp' });
  });

  test('a malformed packet throws; the reason codes read as failure classes', () => {
    expect(() => new PacketStream(4).push(bytes('3600'))).toThrow('PUBLISH with QoS 3');
    expect(() => new PacketStream(5).push(bytes('20040000017f'))).toThrow();
    expect(mqttClass('CONNACK', 4, 5)).toBe('MQTT CONNACK 5 not authorized');
    expect(mqttClass('CONNACK', 5, 0x86)).toBe('MQTT CONNACK 134 bad user name or password');
    expect(mqttClass('SUBACK', 4, 0x80)).toBe('MQTT SUBACK 128 unspecified error');
    expect(mqttClass('DISCONNECT', 5, 0x8e)).toBe('MQTT DISCONNECT 142 session taken over');
    // each class's hint says what to check
    expect(hintFor('MQTT CONNACK 135 not authorized')).toMatch(/^the broker refused the credentials/);
    expect(hintFor('MQTT CONNACK 2 identifier rejected')).toMatch(/client id/);
    expect(hintFor('MQTT DISCONNECT 142 session taken over')).toMatch(/same client id/);
    expect(hintFor('MQTT CONNACK timeout')).toMatch(/websockets listener/);
  });

  test('UTF-8 both ways, beyond the BMP too', () => {
    for (const s of ['', 'abc', 'héllo', '中文', '😀 ok']) expect(fromUtf8(utf8(s))).toBe(s);
    expect(hex(utf8('😀'))).toBe('f09f9880');
  });
});
