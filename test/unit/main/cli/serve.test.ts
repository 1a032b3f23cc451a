// `npx rnn-studio serve --port 0` as a user runs it: a real process that prints a URL with a token,
// answers 401 without the token and serves with it, and stops cleanly on SIGTERM.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { selfSignedCertificate } from '../../../../main/host/remoteMode.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let child: ChildProcess | undefined;
let tlsChild: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  tlsChild?.kill('SIGKILL');
});

function waitForUrl(proc: ChildProcess, scheme = 'http'): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no URL printed; output so far: ${text}`)), 30_000);
    proc.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = new RegExp(`serving at (${scheme}://\\S+)`).exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    proc.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${text}`)));
  });
}

describe('rnn-studio serve --port 0', () => {
  it('prints a URL with a token on 127.0.0.1 and enforces it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rnn-serve-'));
    child = spawn(process.execPath, ['bin/rnn-studio.mjs', 'serve', '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = new URL(await waitForUrl(child));
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
    const token = url.searchParams.get('token')!;
    expect(token).toMatch(/^[0-9a-f]{48}$/);

    const withoutToken = await fetch(new URL('/api/call/app.info', url.origin), {
      method: 'POST',
      body: '{}',
    });
    expect(withoutToken.status).toBe(401);
    const withToken = await fetch(new URL('/api/call/app.info', url.origin), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(withToken.status).toBe(200);
    const info = (await withToken.json()) as {
      ok: boolean;
      result: { host: string; backends: { name: string }[] };
    };
    expect(info.result.host).toBe('web');
    expect(info.result.backends.map((b) => b.name)).toEqual([
      'webgpu',
      'tensorflow-gpu',
      'tensorflow',
      'wasm',
      'cpu',
    ]);

    const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('rnn-studio serve beyond loopback', () => {
  it('refuses --host 0.0.0.0 without --allow-remote, saying why and offering the SSH tunnel', () => {
    const run = spawnSync(
      process.execPath,
      ['bin/rnn-studio.mjs', 'serve', '--host', '0.0.0.0', '--port', '5172'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('rnn-studio: --host 0.0.0.0 would let other machines reach the studio');
    expect(run.stderr).toContain('Add --allow-remote');
    expect(run.stderr).toContain('ssh -L 5172:127.0.0.1:5172 <this machine>');
  });

  it('serves HTTPS with --tls-cert/--tls-key and prints the certificate fingerprint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-serve-tls-'));
    const own = await selfSignedCertificate(['localhost']);
    writeFileSync(join(dir, 'cert.pem'), own.cert);
    writeFileSync(join(dir, 'key.pem'), own.key);
    tlsChild = spawn(
      process.execPath,
      [
        'bin/rnn-studio.mjs',
        'serve',
        '--port',
        '0',
        '--data-dir',
        join(dir, 'data'),
        '--workspace',
        join(dir, 'workspace'),
        '--tls-cert',
        join(dir, 'cert.pem'),
        '--tls-key',
        join(dir, 'key.pem'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let printed = '';
    tlsChild.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const url = new URL(await waitForUrl(tlsChild, 'https'));
    expect(url.hostname).toBe('127.0.0.1');
    expect(printed).toContain(`TLS certificate, SHA-256 fingerprint ${own.fingerprint}`);
    const token = url.searchParams.get('token')!;
    const answer = await new Promise<{ status: number; body: string; fingerprint: string }>(
      (resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port: Number(url.port),
            path: '/api/call/app.info',
            method: 'POST',
            ca: own.cert,
            headers: { authorization: `Bearer ${token}`, 'content-length': 2 },
          },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body, fingerprint }));
          },
        );
        req.on('error', reject);
        req.end('{}');
      },
    );
    expect(answer.status).toBe(200);
    expect(answer.fingerprint).toBe(own.fingerprint);
    expect(JSON.parse(answer.body).result.host).toBe('web');
  });
});
