import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { badInputLine, CONNECT_ONLY, tmpDir } from './helpers';

/** --cert/--key/--proxy given wrongly: one line, exit 1, before any connection; a password in a bad proxy URL is never quoted. */
describe('client certificate and proxy flags', () => {
  const dir = tmpDir('wsbench-client-flags-');
  const notPem = path.join(dir, 'not.pem');
  fs.writeFileSync(notPem, 'hello\n');
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'];
  ssl('req', '-x509', ...ec, '-keyout', 'a.key', '-out', 'a.pem', '-subj', '/CN=a');
  ssl('req', '-x509', ...ec, '-keyout', 'b.key', '-out', 'b.pem', '-subj', '/CN=b');
  ssl('pkey', '-in', 'a.key', '-aes256', '-passout', 'pass:hunter2pw', '-out', 'enc.key');
  const f = (n: string): string => path.join(dir, n);
  const run = (...flags: string[]): Promise<string> => badInputLine('runner', ['run', CONNECT_ONLY, '--target', 'wss://127.0.0.1:9/', ...flags]);

  test.each([
    [['--cert', notPem], '--cert needs --key: a client certificate is the certificate and its private key, each a PEM file'],
    [['--key', notPem], '--key needs --cert: a client certificate is the certificate and its private key, each a PEM file'],
    [['--cert', notPem, '--key', notPem], `--cert: ${notPem} is not a PEM file of the client certificate (expected a "-----BEGIN CERTIFICATE-----" block)`],
    [['--cert', path.join(dir, 'none.pem'), '--key', notPem], `--cert: cannot read ${path.join(dir, 'none.pem')} (give a PEM file of the client certificate)`],
    [['--cert', f('a.pem'), '--key', f('b.key')], `--cert and --key do not match: ${f('b.key')} is not the private key of ${f('a.pem')}`],
    [['--cert', f('a.pem'), '--key', f('enc.key')], `--key: ${f('enc.key')} is encrypted, and wsbench takes no passphrase: give it decrypted`],
    [['--proxy', 'https://u:hunter2pw@proxy:443'], '--proxy: only http:// proxies are supported (an HTTP CONNECT tunnel; got https://)'],
    [['--proxy', 'socks5://u:hunter2pw@proxy:1080'], '--proxy: only http:// proxies are supported (an HTTP CONNECT tunnel; got socks5://)'],
    [['--proxy', 'http://u:hunter2pw@'], '--proxy is not a URL (give http://host:port, or http://user:password@host:port)'],
  ])('%j', async (flags, line) => {
    const got = await run(...(flags as string[]));
    expect(got).toContain(line);
    expect(got).not.toContain('hunter2pw');
  });
});
