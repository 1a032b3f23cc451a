// 2,000 malformed, hostile and valid requests from a fixed seed against a real `rnn-studio serve`
// process: every one is answered with one of the statuses its kind allows (never a 5xx, never a hang), the
// process is still up afterwards and answers a valid call and a WebSocket, the last-resort handler never
// had to step in, and the server's resident memory stays under a stated bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as netConnect } from 'node:net';
import WebSocket from 'ws';
import { rawExchange, requestHead, type RawAnswer } from './rawHttp.js';
import { createFuzzCases, type FuzzCase } from './fuzzCases.js';

const SEED = 16;
const REQUESTS = 2000;
const CONCURRENCY = 8;
/** The server may grow by at most this much resident memory over the whole run. */
const MEMORY_BOUND_MB = 100;
const token = 'f'.repeat(48);

let child: ChildProcess;
let port = 0;
let stderr = '';

/** Resident memory of a process in MB, from /proc where there is one, else from ps. */
function residentMb(pid: number): number {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'))![1]) / 1024;
  return (
    Number(
      execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
        .toString()
        .trim(),
    ) / 1024
  );
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rnn-fuzz-'));
  child = spawn(
    process.execPath,
    [
      'bin/rnn-studio.mjs',
      'serve',
      '--port',
      '0',
      '--token',
      token,
      '--data-dir',
      dataDir,
      '--workspace',
      join(dataDir, 'workspace'),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /serving at http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}${stderr}`)));
  });
});
afterAll(() => {
  child?.kill('SIGKILL');
});

async function validCall(): Promise<RawAnswer> {
  const body = '{}';
  return rawExchange({
    port,
    send:
      requestHead('POST', '/api/call/app.info', {
        host: `127.0.0.1:${port}`,
        authorization: `Bearer ${token}`,
        'content-length': body.length,
      }) + body,
  });
}

/**
 * Send a body of 1 MB writes until the server answers (or `mb` are sent); resolves with the status and the
 * MB written. With `declare` the head carries Content-Length: mb MB, else the body is chunked.
 */
function streamUntilAnswered(
  mb: number,
  declare: boolean,
): Promise<{ status: number | null; sentMb: number }> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1');
    const bytes = Buffer.alloc(0x100000, 0x41);
    const piece = declare ? bytes : Buffer.concat([Buffer.from('100000\r\n'), bytes, Buffer.from('\r\n')]);
    let sentMb = 0;
    let answer = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      resolve({ status: match ? Number(match[1]) : null, sentMb });
    };
    const pump = () => {
      while (!done && sentMb < mb) {
        sentMb++;
        if (!socket.write(piece)) return void socket.once('drain', pump);
      }
    };
    socket.on('connect', () => {
      const head = {
        host: `127.0.0.1:${port}`,
        authorization: `Bearer ${token}`,
        ...(declare ? { 'content-length': mb * 0x100000 } : { 'transfer-encoding': 'chunked' }),
      };
      socket.write(requestHead('POST', '/api/call/project.import', head));
      pump();
    });
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
      if (answer.includes('\r\n\r\n')) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
}

describe('request fuzzer against rnn-studio serve', () => {
  it('a browser page cannot kill the server with ws://127.0.0.1:PORT//', async () => {
    for (const target of [`ws://127.0.0.1:${port}//`, `ws://127.0.0.1:${port}//?token=${token}`]) {
      const socket = new WebSocket(target);
      const outcome = await new Promise<string>((resolve) => {
        socket.on('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
        socket.on('error', (error) => resolve(error.message));
        // A server that dies here may leave the client waiting: its exit is an answer too.
        child.once('exit', (code, signal) => resolve(`serve exited (${code ?? signal})`));
      });
      expect(outcome).toBe('400');
    }
    expect(child.exitCode).toBe(null);
    expect((await validCall()).status).toBe(200);
  });

  it(
    'refuses a 400 MB upload with 413 as it starts, ' + 'and a chunked one past 16 MB, holding neither',
    async () => {
      await validCall();
      const before = residentMb(child.pid!);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, residentMb(child.pid!))), 20);
      const declared = await streamUntilAnswered(400, true);
      const chunked = await streamUntilAnswered(400, false);
      clearInterval(sampler);
      console.log(
        `oversized bodies: 400 MB declared answered ${declared.status} after ${declared.sentMb} MB ` +
          `written, ` +
          `chunked answered ${chunked.status} after ${chunked.sentMb} MB written; ` +
          `server RSS ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB peak`,
      );
      expect(declared.status).toBe(413);
      expect(chunked.status).toBe(413);
      expect(chunked.sentMb).toBeLessThan(400);
      // Had the server kept what it was sent, it would have grown by hundreds of MB.
      expect(peak - before).toBeLessThan(MEMORY_BOUND_MB);
      expect((await validCall()).status).toBe(200);
    },
  );

  it(`answers ${REQUESTS} malformed and hostile requests and keeps serving`, async () => {
    await validCall();
    const before = residentMb(child.pid!);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, residentMb(child.pid!))), 50);
    const next = createFuzzCases(SEED, port, token);
    const cases: FuzzCase[] = Array.from({ length: REQUESTS }, next);
    const byKind = new Map<string, { sent: number; statuses: Map<string, number> }>();
    const unexpected: string[] = [];
    const started = performance.now();
    let index = 0;
    const worker = async () => {
      while (index < cases.length) {
        const fuzz = cases[index++]!;
        const answer = await rawExchange({
          port,
          send: fuzz.send,
          ...(fuzz.endAfterSend ? { endAfterSend: true } : {}),
          ...(fuzz.untilClose ? { untilClose: true } : {}),
          timeoutMs: 20_000,
        });
        const entry = byKind.get(fuzz.kind) ?? { sent: 0, statuses: new Map() };
        byKind.set(fuzz.kind, entry);
        entry.sent++;
        const label = answer.ended === 'timeout' ? 'timeout' : String(answer.status ?? 'closed');
        entry.statuses.set(label, (entry.statuses.get(label) ?? 0) + 1);
        const fine =
          answer.ended !== 'timeout' &&
          fuzz.allowed.includes(answer.status) &&
          (!fuzz.untilClose || answer.ended === 'closed') &&
          (!fuzz.check || fuzz.check(answer));
        if (!fine)
          unexpected.push(
            `${fuzz.kind}: ${label} ${answer.body.slice(0, 200)} <- ${String(fuzz.send[0]).slice(0, 120)}`,
          );
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const after = residentMb(child.pid!);

    const table = [...byKind.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([kind, { sent, statuses }]) =>
          `  ${kind.padEnd(26)} ${String(sent).padStart(4)}  ` +
          `${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`,
      );
    console.log(
      [
        `request fuzzer: seed ${SEED}, ${REQUESTS} requests in ${seconds.toFixed(1)} s, ` +
          `${CONCURRENCY} at a time`,
        `server RSS: ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB peak, ` +
          `${after.toFixed(0)} MB after (bound: +${MEMORY_BOUND_MB} MB)`,
        ...table,
      ].join('\n'),
    );

    expect(unexpected).toEqual([]);
    expect([...byKind.values()].reduce((sum, entry) => sum + entry.sent, 0)).toBe(REQUESTS);
    expect(child.exitCode).toBe(null);
    const valid = await validCall();
    expect(valid.status).toBe(200);
    expect(JSON.parse(valid.body).result.host).toBe('web');
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/events?token=${token}`);
    await new Promise((resolve, reject) => {
      socket.on('open', resolve);
      socket.on('error', reject);
    });
    socket.close();
    expect(peak - before).toBeLessThan(MEMORY_BOUND_MB);
    // Every request was answered where it arrived: the last resort never had to catch anything.
    expect(stderr).not.toMatch(/still serving|request failed|upgrade failed/);
  });
});
