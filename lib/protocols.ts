/**
 * `wsbench/protocols`: the wire protocols a gateway speaks (MQTT, STOMP), as small objects over one wsbench
 * Socket (lib/protocols/README.md). Each does its handshake and heartbeat and maps them onto
 * wsbench's figures. Pure code, like the API: it bundles for the Node runner and for k6.
 */
export { mqtt, mqttMetrics, MQTT_SUBPROTOCOL } from './protocols/mqtt';
export type { MqttOptions, MqttPublishOptions, MqttSession, MqttSubscribeOptions } from './protocols/mqtt';
export type { MqttVersion, QoS } from './protocols/mqtt-codec';
export type { ProtocolMessage, ProtocolSession } from './protocols/session';
export { fromUtf8, utf8 } from './protocols/bytes';
export { Stomp, STOMP_PROTOCOLS, stompMetrics, stompSettings } from './protocols/stomp';
export type { AckMode, StompExtra, StompMessage, StompOptions } from './protocols/stomp';
export { GraphqlWs, GRAPHQL_WS_SUBPROTOCOL, graphqlWsMetrics } from './protocols/graphql-ws';
export type { GraphqlOperation, GraphqlResult, GraphqlSink, GraphqlWsOptions } from './protocols/graphql-ws';
