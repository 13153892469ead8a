import { bypassesProxy, parseProxyUrl, proxyResolver } from '../lib/node/proxy-route';

/** Which connections take which proxy (lib/node/proxy-route.ts): Go's net/http rules, --proxy first. */
describe('proxy routes', () => {
  test('a proxy URL: host, port (80 when none), Basic credentials; only http://', () => {
    expect(parseProxyUrl('http://u%40x:p%3Aw@10.0.0.1:3128', '--proxy')).toEqual({ host: '10.0.0.1', port: 3128, authorization: `Basic ${Buffer.from('u@x:p:w').toString('base64')}` });
    expect(parseProxyUrl('proxy.corp', 'HTTPS_PROXY')).toEqual({ host: 'proxy.corp', port: 80 });
    expect(() => parseProxyUrl('https://user:hunter22@p:443', '--proxy')).toThrow('--proxy: only http:// proxies are supported (an HTTP CONNECT tunnel; got https://)');
    expect(() => parseProxyUrl('http://user:hunter22@', '--proxy')).not.toThrow(/hunter22/);
  });

  test.each([
    ['localhost', 80, '', true], ['127.0.0.5', 80, '', true], ['::1', 80, '', true],
    ['gw.example.com', 443, '', false], ['gw.example.com', 443, 'example.com', true], ['example.com', 443, '.example.com', false],
    ['a.example.com', 443, '.example.com', true], ['a.example.com', 443, '*.example.com', true], ['gw.example.org', 443, 'example.com', false],
    ['10.1.2.3', 80, '10.0.0.0/8', true], ['11.1.2.3', 80, '10.0.0.0/8', false], ['10.1.2.3', 80, '10.1.2.3', true],
    ['gw.example.com', 443, 'gw.example.com:8443', false], ['gw.example.com', 8443, 'gw.example.com:8443', true], ['any.host', 80, ' * ', true],
  ])('%s:%d with NO_PROXY=%j goes direct: %s', (host, port, noProxy, direct) => {
    expect(bypassesProxy(host as string, port as number, noProxy as string)).toBe(direct);
  });

  test('--proxy takes every connection; else HTTP_PROXY takes ws://, HTTPS_PROXY wss://', () => {
    const flag = proxyResolver({ flag: 'http://p:1' }, 5000);
    expect(flag?.('ws://127.0.0.1:9/')).toEqual({ host: 'p', port: 1, timeoutMs: 5000 });
    const env = proxyResolver({ http: 'http://h:2', https: 'http://s:3', noProxy: 'skip.me' }, 5000);
    expect(env?.('ws://gw.example.com/')?.host).toBe('h');
    expect(env?.('wss://gw.example.com/')?.host).toBe('s');
    expect(env?.('wss://skip.me/')).toBeUndefined();
    expect(env?.('wss://127.0.0.1/')).toBeUndefined();
    expect(proxyResolver({ https: 'http://s:3' }, 5000)?.('ws://gw.example.com/')).toBeUndefined();
    expect(proxyResolver(undefined, 5000)).toBeUndefined();
  });
});
