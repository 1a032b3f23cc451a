// Remote mode: refused without --allow-remote, and with it HTTPS under a certificate whose fingerprint is
// printed, the Host allow-list kept to this machine's names plus loopback, and the token still required.
// The server itself binds 127.0.0.1 here (tests never listen beyond loopback); the plan is the one a
// wildcard --host gets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import {
  isLoopbackHost,
  planServe,
  selfSignedCertificate,
  ServeRefusal,
  type ServePlan,
} from '../../../../main/host/remoteMode.js';
import { startWebHost, type WebHost } from '../../../../main/host/webHost.js';
import { EventHub } from '../../../../main/host/eventHub.js';
import { rawExchange, requestHead } from './rawHttp.js';
import { bareHandlers, rendererFolder } from './bareHost.js';

const machine = { hostname: 'studio-box', addresses: ['192.0.2.10', '2001:db8::5'] };
const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

describe('where serve may listen', () => {
  it('tells loopback from everything else', () => {
    for (const host of ['127.0.0.1', '127.3.4.5', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.4', 'studio.lan', '128.0.0.1', '::ffff:10.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it.each(['0.0.0.0', '::', '192.0.2.10', 'studio.lan'])(
    'refuses --host %s without --allow-remote',
    async (host) => {
      const refused = planServe({ host, port: 5172 }, machine);
      await expect(refused).rejects.toThrow(ServeRefusal);
      await expect(refused).rejects.toThrow(`--host ${host} would let other machines reach the studio`);
      await expect(refused).rejects.toThrow('Add --allow-remote');
      await expect(refused).rejects.toThrow('ssh -L 5172:127.0.0.1:5172 <this machine>');
    },
  );

  it('serves loopback over plain HTTP with no warning', async () => {
    const plan = await planServe({ host: '127.0.0.1', port: 5172 }, machine);
    expect(plan).toEqual({
      remote: false,
      selfSigned: false,
      hostNames: ['127.0.0.1'],
      shownHost: '127.0.0.1',
    });
  });

  it(
    'with --allow-remote on a wildcard: ' +
      'a self-signed certificate for this machine’s names, and a warning',
    async () => {
      const plan = await planServe(
        { host: '0.0.0.0', port: 5172, allowRemote: true, allowHosts: ['studio.example'] },
        machine,
      );
      expect(plan.remote).toBe(true);
      expect(plan.selfSigned).toBe(true);
      expect(plan.shownHost).toBe('studio-box');
      expect(plan.hostNames).toEqual(['studio-box', '192.0.2.10', '2001:db8::5', 'studio.example']);
      const cert = new X509Certificate(plan.tls!.cert);
      expect(plan.fingerprint).toMatch(FINGERPRINT);
      expect(plan.fingerprint).toBe(cert.fingerprint256);
      expect(cert.subjectAltName).toContain('DNS:studio-box');
      expect(cert.subjectAltName).toContain('IP Address:192.0.2.10');
      expect(cert.subjectAltName).toContain('DNS:studio.example');
      expect(plan.warning).toContain('Remote mode: the studio listens on 0.0.0.0');
      expect(plan.warning).toContain('ssh -L 5172:127.0.0.1:5172');
    },
  );

  describe('the user’s own certificate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-tls-'));
    let own: { cert: string; key: string; fingerprint: string };
    beforeAll(async () => {
      own = await selfSignedCertificate(['studio.example']);
      writeFileSync(join(dir, 'cert.pem'), own.cert);
      writeFileSync(join(dir, 'key.pem'), own.key);
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      writeFileSync(join(dir, 'other-key.pem'), other.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      writeFileSync(join(dir, 'junk.pem'), 'not a certificate');
    });

    it('is used as given, with its fingerprint', async () => {
      const plan = await planServe(
        {
          host: '192.0.2.10',
          port: 8443,
          allowRemote: true,
          tlsCert: join(dir, 'cert.pem'),
          tlsKey: join(dir, 'key.pem'),
        },
        machine,
      );
      expect(plan.selfSigned).toBe(false);
      expect(plan.fingerprint).toBe(own.fingerprint);
      expect(plan.tls).toEqual({ cert: own.cert, key: own.key });
      expect(plan.hostNames).toEqual(['192.0.2.10']);
    });

    it('is refused when half given, unreadable, not a certificate, or not matching its key', async () => {
      const plan = (tlsCert?: string, tlsKey?: string) =>
        planServe(
          { host: '127.0.0.1', port: 1, ...(tlsCert ? { tlsCert } : {}), ...(tlsKey ? { tlsKey } : {}) },
          machine,
        );
      await expect(plan(join(dir, 'cert.pem'))).rejects.toThrow('--tls-cert and --tls-key go together');
      await expect(plan(join(dir, 'missing.pem'), join(dir, 'key.pem'))).rejects.toThrow(
        `Cannot read the TLS certificate ${join(dir, 'missing.pem')}`,
      );
      await expect(plan(join(dir, 'junk.pem'), join(dir, 'key.pem'))).rejects.toThrow(
        'is not a PEM certificate',
      );
      await expect(plan(join(dir, 'cert.pem'), join(dir, 'other-key.pem'))).rejects.toThrow(
        'is not the key of the certificate',
      );
    });
  });
});

describe('a remote-mode web host', () => {
  const token = 'c'.repeat(48);
  let plan: ServePlan;
  let web: WebHost;
  beforeAll(async () => {
    plan = await planServe({ host: '0.0.0.0', port: 0, allowRemote: true }, machine);
    const dir = rendererFolder('rnn-remote-');
    const handlers = bareHandlers({});
    web = await startWebHost({
      host: '127.0.0.1',
      port: 0,
      token,
      rendererDir: dir,
      handlers,
      events: new EventHub(),
      tls: plan.tls!,
      hostNames: plan.hostNames,
      shownHost: plan.shownHost,
    });
  });
  afterAll(() => web.close());

  function get(hostHeader: string, extra: Record<string, string> = {}) {
    return new Promise<{ status: number; headers: Record<string, unknown>; fingerprint: string }>(
      (resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port: web.port,
            path: `/?token=${token}`,
            ca: plan.tls!.cert,
            servername: 'studio-box',
            headers: { host: hostHeader, ...extra },
          },
          (res) => {
            res.resume();
            const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, fingerprint }));
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
  }

  it(
    'prints an https URL with the machine’s name and ' +
      'serves the certificate whose fingerprint was printed',
    async () => {
      expect(web.url).toBe(`https://studio-box:${web.port}/?token=${token}`);
      const page = await get(`studio-box:${web.port}`);
      expect(page.status).toBe(200);
      expect(page.fingerprint).toBe(plan.fingerprint);
      expect(String(page.headers['set-cookie'])).toContain('SameSite=Strict; Path=/; Secure');
      expect(String(page.headers['content-security-policy'])).toContain(`wss://studio-box:${web.port}`);
    },
  );

  it(
    'keeps the Host allow-list: its names, ' + 'its addresses and loopback pass; any other name is refused',
    async () => {
      for (const name of ['studio-box', '192.0.2.10', '[2001:db8::5]', 'localhost', '127.0.0.1']) {
        expect((await get(`${name}:${web.port}`)).status, name).toBe(200);
      }
      expect((await get(`evil.example:${web.port}`)).status).toBe(403);
      expect((await get(`studio-box:${web.port + 1}`)).status).toBe(403);
      // The page's origin is https now: the same name over http is another origin.
      expect((await get(`studio-box:${web.port}`, { origin: `http://studio-box:${web.port}` })).status).toBe(
        403,
      );
      expect((await get(`studio-box:${web.port}`, { origin: `https://studio-box:${web.port}` })).status).toBe(
        200,
      );
    },
  );

  it('still needs the token, and speaks no plain HTTP', async () => {
    const tls = { ca: plan.tls!.cert, servername: 'studio-box' };
    const without = await rawExchange({
      port: web.port,
      tls,
      send: requestHead('GET', '/', { host: `studio-box:${web.port}` }),
    });
    expect(without.status).toBe(401);
    const plain = await rawExchange({
      port: web.port,
      send: requestHead('GET', `/?token=${token}`, { host: `studio-box:${web.port}` }),
    });
    expect(plain.status).toBe(null);
  });

  it('streams events over wss with the token, verified against the printed certificate', async () => {
    const socket = new WebSocket(`wss://127.0.0.1:${web.port}/api/events?token=${token}`, {
      ca: plan.tls!.cert,
      headers: { host: `studio-box:${web.port}` },
    });
    await new Promise((resolve, reject) => {
      socket.on('open', resolve);
      socket.on('error', reject);
    });
    socket.close();
  });
});
