// The studio-process side of one run: forks the engine process (runnerProcess), sends it the spec and
// relays its messages. A crash or out-of-memory of the engine process ends the run, never the studio.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { engineV8Flags } from './engineFlags.js';
import type { FromRunner, RunSpec, ToRunner } from './protocol.js';

export interface RunExit {
  /** Exit code, or the signal that killed the engine process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the runner said `done` (a clean end, whatever the run's status). */
  clean: boolean;
}

export interface RunProcess {
  readonly pid: number | undefined;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Tell the runner its checkpoint `id` is written (it waits for this). */
  checkpointSaved(id: number, outcome: { location?: string; error?: string }): void;
  /** Ends the engine process at once (no checkpoint). */
  kill(): void;
  readonly exited: Promise<RunExit>;
}

/** How to start a TypeScript entry: from source (tests, `npx tsx`) through tsx, built output as is. */
function entryOf(): { file: string; execArgv: string[] } {
  const here = import.meta.url;
  const ts = here.endsWith('.ts');
  const file = fileURLToPath(new URL(ts ? './runnerProcess.ts' : './runnerProcess.js', here));
  // tsx is resolved from here, not from the user's current folder (which may be anywhere).
  return { file, execArgv: ts ? ['--import', import.meta.resolve('tsx')] : [] };
}

/**
 * A started engine process, whatever starts it (child_process.fork here, Electron's utilityProcess in
 * electron/): how to message it, hear from it, and see it end.
 */
export interface EngineChannel {
  readonly pid: number | undefined;
  send(message: ToRunner): void;
  onMessage(listener: (message: FromRunner) => void): void;
  onStderr(listener: (text: string) => void): void;
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  kill(): void;
}

export type RunLauncher = (
  spec: RunSpec,
  onMessage: (message: FromRunner) => void,
  options?: { maxOldSpaceMb?: number },
) => RunProcess;

/** The run protocol over any engine channel: start on `ready`, relay messages, explain a crash. */
export function runOverChannel(
  channel: EngineChannel,
  spec: RunSpec,
  onMessage: (message: FromRunner) => void,
): RunProcess {
  let clean = false;
  let stderr = '';
  channel.onStderr((text) => {
    stderr = (stderr + text).slice(-4000);
  });
  channel.onMessage((message) => {
    if (message.type === 'ready') channel.send({ type: 'start', spec });
    if (message.type === 'done' || message.type === 'fatal') clean = true;
    onMessage(message);
  });
  const exited = new Promise<RunExit>((resolve) => {
    channel.onExit((code, signal) => {
      if (!clean) {
        const why = signal ? `was killed (${signal})` : `exited with code ${code}`;
        const oom = /heap out of memory|allocation failed/i.test(stderr);
        const lastOutput = stderr ? ` Last output: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : '';
        onMessage({
          type: 'fatal',
          message: `The engine process ${why}${oom ? ': out of memory' : ''}.${lastOutput}`,
          where: oom ? 'out-of-memory' : 'crash',
        });
      }
      resolve({ code, signal, clean });
    });
  });
  return {
    get pid() {
      return channel.pid;
    },
    pause: () => channel.send({ type: 'pause' }),
    resume: () => channel.send({ type: 'resume' }),
    stop: () => channel.send({ type: 'stop' }),
    checkpointSaved: (id, outcome) => channel.send({ type: 'checkpoint-saved', id, ...outcome }),
    kill: () => channel.kill(),
    exited,
  };
}

export const startRunProcess: RunLauncher = (spec, onMessage, options = {}) => {
  const { file, execArgv } = entryOf();
  const child: ChildProcess = fork(file, [], {
    execArgv: [...execArgv, ...engineV8Flags(options.maxOldSpaceMb)],
    serialization: 'advanced', // Uint8Array checkpoints cross as bytes, not JSON
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  return runOverChannel(
    {
      pid: child.pid,
      send: (message) => {
        // A run can end between the check and the write (Pause pressed as the last batch finishes): the
        // write then fails with EPIPE. With a callback that failure is handed to it; without one Node
        // emits it as an 'error' event, which, unheard, took the whole studio host down. The process's
        // end is reported through onExit either way, so the failed message needs nothing more.
        if (child.connected) child.send(message, () => {});
      },
      onMessage: (listener) => child.on('message', (raw) => listener(raw as FromRunner)),
      onStderr: (listener) => child.stderr?.on('data', (chunk: Buffer) => listener(chunk.toString())),
      onExit: (listener) => child.on('exit', listener),
      kill: () => child.kill('SIGKILL'),
    },
    spec,
    onMessage,
  );
};
