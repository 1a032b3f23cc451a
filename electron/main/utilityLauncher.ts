// Starts a training run in an Electron utilityProcess instead of a forked Node process, speaking the same
// run protocol (main/training/runProcess.ts), so a crash or out-of-memory of the engine ends the run,
// never the studio. Passed to the TrainingService as its `launch`.
import { utilityProcess } from 'electron';
import type { FromRunner } from '../../main/training/protocol.js';
import { engineV8Flags } from '../../main/training/engineFlags.js';
import { runOverChannel, type RunLauncher } from '../../main/training/runProcess.js';

export function utilityLauncher(entry: string): RunLauncher {
  return (spec, onMessage, options = {}) => {
    const child = utilityProcess.fork(entry, [], {
      serviceName: `RNN Studio training ${spec.runId}`,
      stdio: ['ignore', 'ignore', 'pipe'],
      execArgv: engineV8Flags(options.maxOldSpaceMb),
    });
    return runOverChannel(
      {
        get pid() {
          return child.pid;
        },
        send: (message) => child.postMessage(message),
        onMessage: (listener) => child.on('message', (message: FromRunner) => listener(message)),
        onStderr: (listener) => child.stderr?.on('data', (chunk: Buffer) => listener(chunk.toString())),
        // A utilityProcess reports an exit code only; a crash shows as a non-zero code.
        onExit: (listener) => child.once('exit', (code) => listener(code, null)),
        kill: () => void child.kill(),
      },
      spec,
      onMessage,
    );
  };
}
