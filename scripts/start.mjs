// `npm start`: the desktop app where Electron can run; elsewhere the same studio in the browser, served by
// `rnn-studio serve` on 127.0.0.1 with its URL (token included) printed. Builds first when the build is
// missing or older than the sources.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { electronBinary } from './electronBinary.mjs';
import { join } from 'node:path';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function stale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((dir) => existsSync(dir) && newestMtime(dir) > built);
}

const hasDisplay =
  process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const electron = electronBinary();
const sources = ['renderer/src', 'core', 'electron', 'main'];

function mustRun(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (electron && hasDisplay) {
  if (stale('out/electron/main/index.js', sources)) mustRun('npx', ['electron-vite', 'build']);
  const child = spawn(electron, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    electron
      ? 'No display found: starting the studio for a browser instead of the desktop window.'
      : 'The Electron binary is not installed here: starting the studio for a browser instead.',
  );
  if (stale('out/renderer/index.html', ['renderer/src', 'core']))
    mustRun('npx', ['vite', 'build', '-c', 'renderer/vite.config.ts', '--logLevel', 'warn']);
  const port = process.env.PORT ?? '5172';
  const child = spawn(process.execPath, ['bin/rnn-studio.mjs', 'serve', '--port', port, '--open'], {
    stdio: 'inherit',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
}
