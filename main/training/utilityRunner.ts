// The engine-process side for Electron's utilityProcess: the same serveRunner over `process.parentPort`,
// whose messages arrive wrapped as `{ data }`. Typed structurally so main/ needs no electron import;
// electron/ calls `serveOverParentPort(process.parentPort)` from its utility entry.
import type { FromRunner, ToRunner } from './protocol.js';
import { serveRunner } from './runner.js';

export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  off?(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

export function serveOverParentPort(
  parentPort: ParentPortLike,
  onFinished: () => void = () => process.exit(0),
): void {
  serveRunner(
    {
      postMessage: (message: FromRunner) => parentPort.postMessage(message),
      onMessage: (listener: (message: ToRunner) => void) => {
        const wrapped = (event: { data: unknown }) => listener(event.data as ToRunner);
        parentPort.on('message', wrapped);
        return () => parentPort.off?.('message', wrapped);
      },
    },
    onFinished,
  );
}
