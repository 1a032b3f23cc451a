// `rnn-studio serve`: the studio in a browser, for a headless workstation or for tests.
import { spawn } from 'node:child_process';
import type { CliCommand, CliIO } from '../command.js';
import { CliError } from '../command.js';
import { defaultWorkspace, startStudioHost } from '../../host/studioHost.js';

/** The file-access options (main/files): the folders the served studio may read and write in. */
type WorkspaceOptions = { workspace?: string; allowFolder?: string[] };

export const serveCommand: CliCommand = {
  name: 'serve',
  register(program, io) {
    program
      .command('serve')
      .description('Serve the studio and its host API to a browser (127.0.0.1 unless --host says otherwise).')
      .option('--host <address>', 'address to bind; other machines can reach 0.0.0.0 (they still need the token)', '127.0.0.1')
      .option('--port <number>', 'port to listen on; 0 picks a free one', '5172')
      .option('--data-dir <dir>', 'folder for recent projects, autosaves and crash recovery')
      .option('--open', 'open the studio in the default browser')
      .option('--token <token>', 'use this access token instead of a random one (scripts and tests; at least 32 characters)')
      .option('--workspace <dir>', `the folder the studio may read and write in (default ${defaultWorkspace()}, created if missing)`)
      .option('--allow-folder <dir>', 'another folder it may read and write in (repeatable)', (dir: string, all: string[]) => [...all, dir], [] as string[])
      .action(async (options: { host: string; port: string; dataDir?: string; open?: boolean; token?: string }) => {
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          throw new CliError(`--port must be a whole number from 0 to 65535, not "${options.port}".`);
        }
        if (options.token !== undefined && options.token.length < 32) {
          throw new CliError('--token must be at least 32 characters: anyone who guesses it can use the studio.');
        }
        let studio;
        try {
          studio = await startStudioHost({
            host: options.host,
            port,
            ...(options.dataDir ? { dataDir: options.dataDir } : {}),
            ...(options.token ? { token: options.token } : {}),
            ...workspaceOf(options as WorkspaceOptions),
          });
        } catch (error) {
          throw new CliError(`Cannot serve on ${options.host}:${port}: ${(error as Error).message}`, 2);
        }
        io.out(`RNN Studio is serving at ${studio.url}\n`);
        io.out(`Projects and data are read and written only in: ${studio.workspace.join(', ')}\n`);
        if (!studio.rendererBuilt) io.err('The studio page is not built yet: run `npm run build` (the API works meanwhile).\n');
        if (options.open) openInBrowser(studio.url, io);
        const stop = () => void studio.close().then(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
  },
};

function workspaceOf(options: WorkspaceOptions): { workspace?: string; allowFolders: string[] } {
  return { ...(options.workspace ? { workspace: options.workspace } : {}), allowFolders: options.allowFolder ?? [] };
}

/** Best effort: a headless machine has no browser, and that is fine — the URL is printed. */
function openInBrowser(url: string, io: CliIO): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => io.err(`No browser could be opened here; open the URL above yourself.\n`));
    child.unref();
  } catch {
    io.err('No browser could be opened here; open the URL above yourself.\n');
  }
}
