// The file-access policy on its own: both modes refuse what is not a regular file, whole-file reads stop
// at their limit by the bytes they read, and a workspace needs its folders to exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anywhere, policyFor, workspaceOnly } from '../../../../main/files/access.js';
import { readBounded } from '../../../../main/files/read.js';
import { ProjectStore } from '../../../../main/project/index.js';
import { resourcesDir } from '../../../../main/host/appInfo.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rnn-access-'));
  writeFileSync(join(root, 'kb.bin'), new Uint8Array(2000).fill(7));
  spawnSync('mkfifo', [join(root, 'fifo')]);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('file access', () => {
  it('refuses devices, pipes and folders in the permissive mode too, naming the path', async () => {
    const any = anywhere();
    await expect(any.readable('/dev/zero')).rejects.toMatchObject({
      code: 'invalid-input',
      where: '/dev/zero',
      message: expect.stringContaining('/dev/zero is a device'),
    });
    await expect(any.readable(join(root, 'fifo'))).rejects.toThrow(
      /fifo is a named pipe, not a regular file/,
    );
    await expect(any.readable(root)).rejects.toThrow(/is a folder, not a regular file/);
    await expect(any.writable('/dev/null')).rejects.toThrow(/\/dev\/null is a device/);
    expect(await any.readable(join(root, 'kb.bin'))).toBe(join(root, 'kb.bin'));
  });

  it(
    'reads whole files up to the limit by the bytes read, ' + 'and refuses a device on the open handle',
    async () => {
      expect((await readBounded(join(root, 'kb.bin'), 2000)).length).toBe(2000);
      await expect(readBounded(join(root, 'kb.bin'), 1999)).rejects.toThrow(
        /kb\.bin is larger than 1999 bytes/,
      );
      // readBounded alone (no policy check first): the open handle is checked, so /dev/zero never streams.
      await expect(readBounded('/dev/zero', 1 << 30)).rejects.toThrow(/\/dev\/zero is a device/);
    },
  );

  it('opening a device as a project answers at once', async () => {
    const store = new ProjectStore({ dataDir: join(root, 'data'), resourcesDir, autosaveMs: 0 });
    await store.init();
    await expect(store.openFile('/dev/zero')).rejects.toThrow(/\/dev\/zero is a device, not a regular file/);
  });

  it(
    'a workspace resolves relative paths from its ' + 'first folder and needs its other folders to exist',
    async () => {
      const ws = await workspaceOnly(join(root, 'ws'));
      mkdirSync(join(root, 'ws', 'a'));
      writeFileSync(join(root, 'ws', 'a', 'f.txt'), 'x');
      expect(await ws.readable('a/../a/f.txt')).toBe(join(ws.roots[0]!, 'a', 'f.txt'));
      await expect(ws.readable('../kb.bin')).rejects.toMatchObject({ code: 'forbidden', where: '../kb.bin' });
      await expect(workspaceOnly(join(root, 'ws'), [join(root, 'missing')])).rejects.toThrow(
        /missing does not exist/,
      );
      // A training run rebuilds the same policy from the roots alone.
      symlinkSync(join(root, 'kb.bin'), join(root, 'ws', 'kb-link'));
      await expect(policyFor(ws.roots).readable('kb-link')).rejects.toThrow(/symbolic link/);
      expect(policyFor(undefined).mode).toBe('anywhere');
      // A dangling link inside: writing through it would create its target outside.
      symlinkSync(join(root, 'not-yet.txt'), join(root, 'ws', 'dangling'));
      await expect(ws.writable('dangling')).rejects.toThrow(
        /dangling is a symbolic link to a file that does not exist/,
      );
      await expect(anywhere().writable(join(root, 'ws', 'dangling'))).rejects.toThrow(
        /symbolic link to a file that does not exist/,
      );
    },
  );
});
