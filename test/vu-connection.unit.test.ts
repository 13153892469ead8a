import { expandTemplate, redactOptions, tokenFor, vuConnection } from '../lib/core/vu-connection';
import type { ConnectParams } from '../lib/scenario/types';

/** A VU's connection from the options (pure lib code, shared with k6): templates, tokens, headers. */
describe('URL templates and tokens', () => {
  const o = { target: 'ws://h:1/ws?uid=${vu}&token=${token}', tokens: ['a', 'b/c', 'd'] };

  test('VU i gets token i mod n, URL-encoded in the URL and plain in headers', () => {
    expect(vuConnection(o, undefined, 4, undefined, undefined).url).toBe('ws://h:1/ws?uid=4&token=b%2Fc');
    const c = vuConnection({ ...o, headers: { Authorization: 'Bearer ${token}' }, protocols: ['im.v2'] }, undefined, 1);
    expect(c.params).toEqual({ headers: { Authorization: 'Bearer b/c' }, protocols: ['im.v2'] });
  });

  test('the call\'s own URL, headers and subprotocols win; its placeholders expand too', () => {
    const params: ConnectParams = { headers: { 'X-A': '1' }, protocols: ['p'] };
    const c = vuConnection({ ...o, headers: { 'X-A': '0', 'X-B': '${vu}' }, protocols: ['q'] }, undefined, 2, 'ws://other/${vu}', params);
    expect(c).toEqual({ url: 'ws://other/2', params: { headers: { 'X-A': '1', 'X-B': '2' }, protocols: ['p'] } });
  });

  test('a token function when no list is given; a list (or --tokens) wins over it', () => {
    const hooks = { tokens: (vu: number) => `fn-${vu}` };
    expect(tokenFor({}, hooks, 7)).toBe('fn-7');
    expect(tokenFor({ tokens: ['x'] }, hooks, 7)).toBe('x');
    expect(() => tokenFor({}, { tokens: () => 5 as unknown as string }, 1)).toThrow('options.tokens(1) must return a string (got number)');
  });

  test('no placeholders: the text as it is; secrets are not written with the options', () => {
    expect(expandTemplate('ws://h/ws', { vu: 1 })).toBe('ws://h/ws');
    expect(redactOptions({ tokens: ['s1', 's2'], headers: { Authorization: 'Bearer s1', 'X-Token': '${token}', 'X-Vu': '7' } })).toEqual({
      tokens: ['<2 tokens, not written>'], headers: { Authorization: '***', 'X-Token': '${token}', 'X-Vu': '7' },
    });
  });
});
