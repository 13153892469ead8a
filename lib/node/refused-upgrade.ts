import { codedError } from './raw-upgrade';

/**
 * The error of an upgrade the server answered with something else than 101, as both clients give
 * it (lib/node/ws-client.ts, lib/node/raw-ws.ts): `Unexpected server response: <status>` (class
 * `HTTP <status>`, lib/core/errors.ts), except where the answer's body says more. nginx with
 * `ssl_verify_client on` completes the TLS handshake whatever the client sent, then answers the
 * request 400 with a page that names the reason: those are TLS failures, and get TLS classes.
 */

/** How much of a refusal's body is read to name it (nginx's pages are about 250 bytes). */
export const REFUSAL_BODY_BYTES = 2048;

/** Whether the body of an answer with this status, over TLS or not, can name it (only then is it read). */
export const bodyNamesRefusal = (status: number, secure: boolean): boolean => secure && status === 400;

export function refusalError(status: number, body: string): Error {
  if (status === 400 && body.includes('No required SSL certificate was sent')) {
    return codedError('client certificate required: the server answered 400 "No required SSL certificate was sent"', 'ERR_TLS_CLIENT_CERT_REQUIRED');
  }
  if (status === 400 && body.includes('The SSL certificate error')) {
    return codedError('client certificate refused: the server answered 400 "The SSL certificate error"', 'ERR_TLS_CLIENT_CERT_REFUSED');
  }
  return new Error(`Unexpected server response: ${status}`);
}
