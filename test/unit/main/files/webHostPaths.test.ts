// The web host's file-access rule, over HTTP against a real `startStudioHost` (as `rnn-studio serve`
// builds it): reads and writes only inside the workspace, refusing outside paths, `..` escapes, symbolic
// links that lead out, devices and named pipes, each with a message that names the path. The CLI, by
// contrast, still reads any regular file the user names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStudioHost } from '../../../../main/host/studioHost.js';
import { runCli } from '../../../../main/cli/program.js';
import { callHost } from '../host/bareHost.js';

const token = 'f'.repeat(48);
// A port of its own (52020-52029), apart from the other host tests; the host binds 127.0.0.1.
const port = 52021;
const SECRET = 'text,label\nthe outside secret,pos\nmore secret words,neg\n';

let root: string;
let ws: string;
let outside: string;
let studio: Awaited<ReturnType<typeof startStudioHost>>;

interface Answer {
  status: number;
  body: {
    ok: boolean;
    result?: Record<string, unknown>;
    error?: { code: string; message: string; where?: string };
  };
}

async function call(name: string, payload: unknown): Promise<Answer> {
  const { status, answer } = await callHost(port, token, name, payload);
  return { status, body: answer as Answer['body'] };
}

async function refused(
  name: string,
  payload: unknown,
  code: string,
  message: RegExp,
): Promise<Answer['body']['error']> {
  const answer = await call(name, payload);
  expect(answer.body.ok, `${name} ${JSON.stringify(payload)} should be refused`).toBe(false);
  expect(answer.status).toBe(400);
  expect(answer.body.error?.code).toBe(code);
  expect(answer.body.error?.message).toMatch(message);
  expect(JSON.stringify(answer.body)).not.toContain('outside secret');
  return answer.body.error;
}

async function newProject(): Promise<string> {
  const created = await call('project.create', { templateId: 'sentiment' });
  return created.body.result!.projectId as string;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rnn-paths-'));
  ws = join(root, 'workspace');
  outside = join(root, 'outside');
  mkdirSync(join(ws, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.csv'), SECRET);
  writeFileSync(join(ws, 'inside.csv'), 'text,label\ngood film,pos\nbad film,neg\nfine film,pos\n');
  symlinkSync(join(outside, 'secret.csv'), join(ws, 'link-out.csv'));
  symlinkSync(outside, join(ws, 'linkdir'));
  symlinkSync('/dev/zero', join(ws, 'zero.rnnproj'));
  spawnSync('mkfifo', [join(ws, 'pipe.csv')]);
  mkdirSync(join(ws, 'folder.rnnproj'));
  studio = await startStudioHost({ port, token, dataDir: join(root, 'data'), workspace: ws });
});

afterAll(async () => {
  await studio?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the web host reads and writes only inside its workspace', () => {
  it('saves and opens inside, with relative paths starting at the workspace', async () => {
    const id = await newProject();
    const saved = await call('project.save', { projectId: id, path: 'sub/film.rnnproj' });
    expect(saved.body.ok).toBe(true);
    expect(saved.body.result!.path).toBe(join(ws, 'sub', 'film.rnnproj'));
    expect(existsSync(join(ws, 'sub', 'film.rnnproj'))).toBe(true);
    const opened = await call('project.open', { path: join(ws, 'sub', 'film.rnnproj') });
    expect(opened.body.ok).toBe(true);
    const imported = await call('data.import', {
      projectId: id,
      source: { path: 'inside.csv' },
      options: { embed: false },
    });
    expect(imported.body.ok, JSON.stringify(imported.body.error)).toBe(true);
    expect((await call('data.preview', { projectId: id })).body.ok).toBe(true);
  });

  it('refuses opening outside, through `..`, through a symbolic link, and devices', async () => {
    writeFileSync(join(outside, 'other.rnnproj'), readFileSync(join(ws, 'sub', 'film.rnnproj')));
    await refused(
      'project.open',
      { path: join(outside, 'other.rnnproj') },
      'forbidden',
      /outside the workspace/,
    );
    await refused('project.open', { path: '../outside/other.rnnproj' }, 'forbidden', /outside the workspace/);
    await refused(
      'project.open',
      { path: join(ws, 'sub', '..', '..', 'outside', 'other.rnnproj') },
      'forbidden',
      /outside the workspace/,
    );
    await refused(
      'project.open',
      { path: join(ws, 'linkdir', 'other.rnnproj') },
      'forbidden',
      /symbolic link.*outside the workspace/,
    );
    await refused(
      'project.open',
      { path: '/etc/passwd' },
      'forbidden',
      /\/etc\/passwd is outside the workspace/,
    );
    await refused('project.open', { path: '/dev/zero' }, 'forbidden', /\/dev\/zero is outside the workspace/);
    await refused(
      'project.open',
      { path: join(ws, 'zero.rnnproj') },
      'forbidden',
      /zero\.rnnproj leads .* to \/dev\/zero/,
    );
    await refused(
      'project.open',
      { path: join(ws, 'folder.rnnproj') },
      'invalid-input',
      /folder\.rnnproj is a folder, not a regular file/,
    );
  });

  it('refuses saving outside, through `..` and through a linked folder, writing nothing', async () => {
    const id = await newProject();
    await refused(
      'project.save',
      { projectId: id, path: join(outside, 'x.rnnproj') },
      'forbidden',
      /outside the workspace/,
    );
    await refused(
      'project.save',
      { projectId: id, path: '../outside/y.rnnproj' },
      'forbidden',
      /outside the workspace/,
    );
    await refused('project.save', { projectId: id, path: 'linkdir/z.rnnproj' }, 'forbidden', /symbolic link/);
    await refused('project.save', { projectId: id, path: 'folder.rnnproj' }, 'invalid-input', /is a folder/);
    expect(['x.rnnproj', 'y.rnnproj', 'z.rnnproj'].filter((f) => existsSync(join(outside, f)))).toEqual([]);
  });

  it('refuses importing data from outside, through links, from a pipe or a device', async () => {
    const id = await newProject();
    await refused(
      'data.import',
      { projectId: id, source: { path: join(outside, 'secret.csv') }, options: {} },
      'forbidden',
      /outside the workspace/,
    );
    await refused(
      'data.import',
      { projectId: id, source: { path: '../outside/secret.csv' }, options: {} },
      'forbidden',
      /outside the workspace/,
    );
    await refused(
      'data.import',
      { projectId: id, source: { path: 'link-out.csv' }, options: {} },
      'forbidden',
      /link-out\.csv leads/,
    );
    await refused(
      'data.import',
      { projectId: id, source: { path: '/dev/zero' }, options: {} },
      'forbidden',
      /outside the workspace/,
    );
    await refused(
      'data.import',
      { projectId: id, source: { path: 'pipe.csv' }, options: {} },
      'invalid-input',
      /pipe\.csv is a named pipe/,
    );
  });

  it('refuses previewing a dataset the project references outside the workspace', async () => {
    const id = await newProject();
    expect(
      (
        await call('data.import', {
          projectId: id,
          source: { path: 'inside.csv' },
          options: { embed: false },
        })
      ).body.ok,
    ).toBe(true);
    const doc = (await call('project.get', { projectId: id })).body.result!.doc as {
      dataset: { source: { path: string } };
    };
    doc.dataset.source.path = join(outside, 'secret.csv');
    expect((await call('project.update', { projectId: id, doc })).body.ok).toBe(true);
    await refused('data.preview', { projectId: id }, 'forbidden', /secret\.csv is outside the workspace/);
    doc.dataset.source.path = 'link-out.csv';
    expect((await call('project.update', { projectId: id, doc })).body.ok).toBe(true);
    await refused('data.preview', { projectId: id }, 'forbidden', /symbolic link/);
  });

  it('writes exports only inside', async () => {
    const id = await newProject();
    await refused(
      'export.write',
      { projectId: id, format: 'json', outDir: join(outside, 'export') },
      'forbidden',
      /outside the workspace/,
    );
    await refused(
      'export.write',
      { projectId: id, format: 'json', outDir: '../../../tmp/export' },
      'forbidden',
      /outside the workspace/,
    );
    await refused(
      'export.write',
      { projectId: id, format: 'json', outDir: 'linkdir/export' },
      'forbidden',
      /symbolic link/,
    );
    expect(existsSync(join(outside, 'export'))).toBe(false);
    const written = await call('export.write', { projectId: id, format: 'json', outDir: 'exports/json' });
    expect(written.body.ok).toBe(true);
    expect((written.body.result!.files as string[])[0]!.startsWith(join(ws, 'exports', 'json'))).toBe(true);
  });

  it('answers for a device at once in the CLI too, and the CLI still reads any regular file', async () => {
    writeFileSync(join(outside, 'plain.rnnproj'), readFileSync(join(ws, 'sub', 'film.rnnproj')));
    const io = {
      text: '',
      out: (t: string) => void (io.text += t),
      err: (t: string) => void (io.text += t),
      isTTY: false,
    };
    expect(await runCli(['validate', join(outside, 'plain.rnnproj')], io)).toBe(0);
    expect(io.text).toContain('valid');
    io.text = '';
    expect(await runCli(['validate', '/dev/zero'], io)).toBe(1);
    expect(io.text).toContain('/dev/zero is a device, not a regular file');
    io.text = '';
    expect(await runCli(['summary', join(ws, 'pipe.csv')], io)).toBe(1);
    expect(io.text).toContain('is a named pipe');
  });
});
