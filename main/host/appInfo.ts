// Facts about this install: its version and where its folders are. The root is found by walking up to
// our package.json, so it is right both from the sources (main/host/) and from a bundle (out/electron/…).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'rnn-studio'
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the rnn-studio package above ${start}.`);
    dir = parent;
  }
}

export const appRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

export function studioVersion(): string {
  return (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

export const rendererBuildDir = join(appRoot, 'out', 'renderer');
export const resourcesDir = join(appRoot, 'resources');
