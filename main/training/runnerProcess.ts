// Entry of the engine process forked by the CLI and the web host (child_process IPC). Electron's
// utilityProcess uses its own few-line entry over process.parentPort with the same serveRunner.
import type { FromRunner, ToRunner } from './protocol.js';
import { serveRunner } from './runner.js';

if (!process.send) {
  process.stderr.write('runnerProcess must be started with an IPC channel (child_process.fork).\n');
  process.exit(2);
}

// Ctrl-C in a terminal reaches the whole process group: the studio process decides (stop after this
// batch, save a checkpoint), so the engine process must not die of it.
process.on('SIGINT', () => {});

// Without the studio process there is nobody to save to: stop at once (a checkpoint was saved each epoch).
process.on('disconnect', () => process.exit(0));

serveRunner(
  {
    postMessage: (message: FromRunner) => process.send?.(message),
    onMessage: (listener: (message: ToRunner) => void) => {
      process.on('message', listener as (m: unknown) => void);
      return () => process.off('message', listener as (m: unknown) => void);
    },
  },
  () => {
    // Give the IPC channel a moment to flush the last messages, then leave.
    setTimeout(() => process.disconnect?.(), 50).unref();
  },
);
