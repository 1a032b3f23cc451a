// `rnn-studio serve`: the studio in a browser, for a headless workstation or for tests. Loopback only
// unless --allow-remote says otherwise; then HTTPS, a printed certificate fingerprint and a warning.
import { spawn } from 'node:child_process';
import type { CliCommand, CliIO } from '../command.js';
import { CliError, wholeNumberFlag } from '../command.js';
import { defaultWorkspace, startStudioHost } from '../../host/studioHost.js';
import { keepServingOnUncaughtErrors } from '../../host/lastResort.js';
import { planServe, ServeRefusal, type ServePlan } from '../../host/remoteMode.js';

interface ServeOptions {
  host: string;
  port: string;
  dataDir?: string;
  open?: boolean;
  token?: string;
  allowRemote?: boolean;
  allowHost?: string[];
  tlsCert?: string;
  tlsKey?: string;
  workspace?: string;
  allowFolder?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The file-access options (main/files): the folders the served studio may read and write in. */
type WorkspaceOptions = { workspace?: string; allowFolder?: string[] };

export const serveCommand: CliCommand = {
  name: 'serve',
  register(program, io) {
    program
      .command('serve')
      .description(
        'Serve the studio and its host API to a browser (127.0.0.1 unless --host and --allow-remote ' +
          'say otherwise).',
      )
      .option(
        '--host <address>',
        'address to bind; anything but loopback also needs --allow-remote',
        '127.0.0.1',
      )
      .option('--port <number>', 'port to listen on; 0 picks a free one', '5172')
      .option('--allow-remote', 'let other machines connect (with --host): HTTPS, token still required')
      .option('--allow-host <name>', 'another name of this machine the browser may use (repeatable)', collect)
      .option('--tls-cert <file>', 'PEM certificate to serve HTTPS with (instead of a self-signed one)')
      .option('--tls-key <file>', 'PEM private key of --tls-cert')
      .option('--data-dir <dir>', 'folder for recent projects, autosaves and crash recovery')
      .option('--open', 'open the studio in the default browser')
      .option(
        '--token <token>',
        'use this access token instead of a random one (scripts and tests; at least 32 characters)',
      )
      .option(
        '--workspace <dir>',
        `the folder the studio may read and write in (default ${defaultWorkspace()}, created if missing)`,
      )
      .option('--allow-folder <dir>', 'another folder it may read and write in (repeatable)', collect)
      .action(async (options: ServeOptions) => {
        const port = wholeNumberFlag(options.port, '--port', 0, 65535);
        if (options.token !== undefined && options.token.length < 32) {
          throw new CliError(
            '--token must be at least 32 characters: anyone who guesses it can use the studio.',
          );
        }
        let plan: ServePlan;
        try {
          plan = await planServe({
            host: options.host,
            port,
            ...(options.allowRemote ? { allowRemote: true } : {}),
            ...(options.allowHost ? { allowHosts: options.allowHost } : {}),
            ...(options.tlsCert !== undefined ? { tlsCert: options.tlsCert } : {}),
            ...(options.tlsKey !== undefined ? { tlsKey: options.tlsKey } : {}),
          });
        } catch (error) {
          if (error instanceof ServeRefusal) throw new CliError(error.message);
          throw error;
        }
        const log = (text: string) => io.err(text);
        let studio;
        try {
          studio = await startStudioHost({
            host: options.host,
            port,
            log,
            hostNames: plan.hostNames,
            shownHost: plan.shownHost,
            ...(plan.tls ? { tls: plan.tls } : {}),
            ...(options.dataDir ? { dataDir: options.dataDir } : {}),
            ...(options.token ? { token: options.token } : {}),
            ...workspaceOf(options as WorkspaceOptions),
          });
        } catch (error) {
          throw new CliError(`Cannot serve on ${options.host}:${port}: ${(error as Error).message}`, 2);
        }
        keepServingOnUncaughtErrors(log);
        if (plan.warning) io.err(`Warning: ${plan.warning}\n`);
        if (plan.fingerprint) {
          const kind = plan.selfSigned ? 'self-signed certificate' : 'certificate';
          io.out(`TLS ${kind}, SHA-256 fingerprint ${plan.fingerprint}\n`);
          if (plan.selfSigned)
            io.out('Check that your browser shows this fingerprint before you accept the certificate.\n');
        }
        io.out(`RNN Studio is serving at ${studio.url}\n`);
        io.out(`Projects and data are read and written only in: ${studio.workspace.join(', ')}\n`);
        if (!studio.rendererBuilt)
          io.err('The studio page is not built yet: run `npm run build` (the API works meanwhile).\n');
        if (options.open) openInBrowser(studio.url, io);
        const stop = () =>
          void studio
            .close()
            .catch((error: unknown) => io.err(`rnn-studio serve: closing failed: ${String(error)}\n`))
            .finally(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
  },
};

function workspaceOf(options: WorkspaceOptions): { workspace?: string; allowFolders: string[] } {
  return {
    ...(options.workspace ? { workspace: options.workspace } : {}),
    allowFolders: options.allowFolder ?? [],
  };
}

/** Best effort: a headless machine has no browser, and that is fine — the URL is printed. */
function openInBrowser(url: string, io: CliIO): void {
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => io.err(`No browser could be opened here; open the URL above yourself.\n`));
    child.unref();
  } catch {
    io.err('No browser could be opened here; open the URL above yourself.\n');
  }
}
