// `npx rnn-studio serve --port 0` as a user runs it: a real process that prints a URL with a token,
// answers 401 without the token and serves with it, and stops cleanly on SIGTERM.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let child: ChildProcess | undefined;
afterAll(() => child?.kill('SIGKILL'));

function waitForUrl(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no URL printed; output so far: ${text}`)), 30_000);
    proc.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /serving at (http:\/\/\S+)/.exec(text);
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
    child = spawn(process.execPath, ['bin/rnn-studio.mjs', 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = new URL(await waitForUrl(child));
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
    const token = url.searchParams.get('token')!;
    expect(token).toMatch(/^[0-9a-f]{48}$/);

    const withoutToken = await fetch(new URL('/api/call/app.info', url.origin), { method: 'POST', body: '{}' });
    expect(withoutToken.status).toBe(401);
    const withToken = await fetch(new URL('/api/call/app.info', url.origin), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(withToken.status).toBe(200);
    const info = (await withToken.json()) as { ok: boolean; result: { host: string; backends: { name: string }[] } };
    expect(info.result.host).toBe('web');
    expect(info.result.backends.map((b) => b.name)).toEqual(['webgpu', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);

    const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
