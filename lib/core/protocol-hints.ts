/**
 * Hints of the failure classes of lib/protocols/ (lib/core/errors.ts puts them before its own;
 * first match wins): the broker's setting or the scenario's option behind each. The classes are
 * made by lib/protocols/mqtt-reasons.ts `mqttClass`, lib/protocols/mqtt.ts,
 * lib/protocols/stomp-errors.ts and lib/protocols/graphql-ws-config.ts (graphql-ws's close codes: graphql-ws-codec.ts `CLOSE_CODES`).
 */
export const PROTOCOL_HINTS: Array<[RegExp, string]> = [
  [/^MQTT CONNACK (4|5|134|135) /, 'the broker refused the credentials: check the username and password of mqtt() (their ${vu}/${token}, --tokens) and the broker\'s password_file / acl_file'],
  [/^MQTT CONNACK (1|132) /, 'the broker does not speak this MQTT version: set version 4 (3.1.1) or 5 in mqtt()'],
  [/^MQTT CONNACK (2|133) /, 'the broker refused the client id: check clientId in mqtt() (unique per VU: put ${vu} in it) and the broker\'s clientid_prefixes'],
  [/^MQTT CONNACK (3|136|137|159) /, 'the broker is unavailable or busy: check its max_connections and its log'],
  [/^MQTT CONNACK timeout/, 'no CONNACK within the handshake timeout: is the target an MQTT broker\'s websockets listener (subprotocol mqtt)?'],
  [/^MQTT SUBACK/, 'the broker refused a subscription: check the topic filter and the broker\'s acl_file'],
  [/^MQTT DISCONNECT (141|142) /, 'the broker dropped the client: keep alive missed (the ping interval is too long for its keepalive) or a second client took the same client id'],
  [/^MQTT DISCONNECT/, 'the broker closed the session: see its reason and its log'],
  [/^MQTT malformed/, 'the broker sent bytes that are no MQTT packet: is the target an MQTT websockets listener?'],
  [/^MQTT subprotocol/, 'the server did not choose the mqtt subprotocol: check that the target is the broker\'s websockets listener'],
  [/^STOMP ERROR: Bad CONNECT|^STOMP ERROR: .*(?:[Aa]ccess refused|[Ll]ogin|[Pp]asscode|[Aa]uthenticat)/, 'the broker refused the STOMP login: check the login and passcode, and the virtual host (the CONNECT host header; RabbitMQ: the user\'s vhost permissions)'],
  [/^STOMP ERROR/, 'the broker sent a STOMP ERROR frame (its message is in the class): check the destination names, the user\'s permissions and the frames the scenario sends'],
  [/^STOMP no CONNECTED/, 'the connection closed before the broker answered CONNECT: check the subprotocol (v12.stomp), the endpoint path (RabbitMQ: /ws) and the broker log'],
  [/^close 4403$/, 'graphql-ws: 4403 Forbidden, the server refused connection_init: check its payload (GraphqlWs payload, its ${token}, --tokens) against the server\'s onConnect'],
  [/^close 4401$/, 'graphql-ws: 4401 Unauthorized, a subscribe before connection_ack: subscribe from onReady'],
  [/^close 4400$/, 'graphql-ws: 4400 Bad Request, the server could not read a message: check the operations the scenario sends'],
  [/^close 4406$/, 'graphql-ws: 4406, the subprotocol was not offered: set options.protocols to [\'graphql-transport-ws\']'],
  [/^close 4408$/, 'graphql-ws: 4408, no connection_init within the server\'s connectionInitWaitTimeout'],
  [/^close 4409$/, 'graphql-ws: 4409, an operation id already in use (a second subscribe under one id)'],
  [/^close 4429$/, 'graphql-ws: 4429, a second connection_init on one connection'],
  [/^close 4500$/, 'graphql-ws: 4500, the server hit an internal error: see its log'],
  [/^graphql-ws connection_ack timeout/, 'no connection_ack within the handshake timeout: is the target a graphql-ws endpoint (subprotocol graphql-transport-ws), is its onConnect slow?'],
  [/^graphql-ws error/, 'the server answered an operation with GraphQL errors (the first is in the class): check the query, its variables and the schema'],
  [/^graphql-ws (invalid message|subprotocol)/, 'the server does not speak graphql-transport-ws (the legacy subscriptions-transport-ws is another protocol): check the endpoint'],
];
