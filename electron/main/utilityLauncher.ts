// Starts a training run in an Electron utilityProcess instead of a forked Node process: the same runner
// protocol (main/training/protocol.ts), so a crash or out-of-memory of the engine ends the run, never
// the studio. Passed to the TrainingService as its `launch`.
import { utilityProcess } from 'electron';
import type { FromRunner, RunSpec, ToRunner } from '../../main/training/protocol.js';
import type { RunExit, RunProcess } from '../../main/training/runProcess.js';

export function utilityLauncher(entry: string) {
  return (spec: RunSpec, onMessage: (message: FromRunner) => void, options: { maxOldSpaceMb?: number } = {}): RunProcess => {
    const child = utilityProcess.fork(entry, [], {
      serviceName: `RNN Studio training ${spec.runId}`,
      stdio: ['ignore', 'ignore', 'pipe'],
      execArgv: options.maxOldSpaceMb ? [`--max-old-space-size=${options.maxOldSpaceMb}`] : [],
    });
    let clean = false;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const send = (message: ToRunner) => child.postMessage(message);
    child.on('message', (message: FromRunner) => {
      if (message.type === 'ready') send({ type: 'start', spec });
      if (message.type === 'done' || message.type === 'fatal') clean = true;
      onMessage(message);
    });
    const exited = new Promise<RunExit>((resolve) => {
      child.once('exit', (code) => {
        if (!clean) {
          const oom = /heap out of memory|allocation failed/i.test(stderr);
          onMessage({
            type: 'fatal',
            message: `The engine process exited with code ${code}${oom ? ': out of memory' : ''}.${stderr ? ` Last output: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`,
            where: oom ? 'out-of-memory' : 'crash',
          });
        }
        resolve({ code, signal: null, clean });
      });
    });
    return {
      get pid() {
        return child.pid;
      },
      pause: () => send({ type: 'pause' }),
      resume: () => send({ type: 'resume' }),
      stop: () => send({ type: 'stop' }),
      checkpointSaved: (id, outcome) => send({ type: 'checkpoint-saved', id, ...outcome }),
      kill: () => void child.kill(),
      exited,
    };
  };
}
