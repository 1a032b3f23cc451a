// The runner over Electron's parentPort shape (messages wrapped as { data }), in this process: it says
// ready, trains on start, waits for each checkpoint to be acknowledged, and ends with done — or fatal,
// naming what is wrong, for a workload that cannot be built. A chosen backend that cannot start is said
// as a warning right after run-start (here tfjs-node is not installed, as backend.test.ts also expects).
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BackendChoice } from '../../../../core/api/backends.js';
import type { FromRunner, ToRunner } from '../../../../main/training/protocol.js';
import { serveOverParentPort } from '../../../../main/training/utilityRunner.js';

const toy = fileURLToPath(new URL('../../../fixtures/training/toyWorkload.ts', import.meta.url));

function fakeParentPort() {
  const emitter = new EventEmitter();
  const received: FromRunner[] = [];
  const port = {
    on: (event: 'message', listener: (e: { data: unknown }) => void) => emitter.on(event, listener),
    off: (event: 'message', listener: (e: { data: unknown }) => void) => emitter.off(event, listener),
    postMessage: (message: unknown) => {
      received.push(message as FromRunner);
      port.onPosted?.(message as FromRunner);
    },
    onPosted: undefined as ((m: FromRunner) => void) | undefined,
    send: (message: ToRunner) => emitter.emit('message', { data: message }),
  };
  return { port, received };
}

/** One epoch of the toy workload on `backend`, every checkpoint acknowledged at once: what was posted. */
async function trainToy(runId: string, backend: BackendChoice) {
  const { port, received } = fakeParentPort();
  const finished = new Promise<void>((resolve) => serveOverParentPort(port, resolve));
  port.onPosted = (m) => {
    if (m.type === 'checkpoint') port.send({ type: 'checkpoint-saved', id: m.id, location: `mem:${m.id}` });
  };
  port.send({ type: 'start', spec: { runId, backend, workload: { module: toy, options: { epochs: 1 } } } });
  await finished;
  const events = received.flatMap((m) => (m.type === 'event' ? [m.event] : []));
  return { received, events };
}

describe('runner over a parentPort', () => {
  it('trains, holds at each checkpoint until the host acknowledges it, ends with done', async () => {
    const { port, received } = fakeParentPort();
    const finished = new Promise<void>((resolve) => serveOverParentPort(port, resolve));
    let unacknowledged = 0;
    port.onPosted = (m) => {
      if (m.type === 'checkpoint') {
        unacknowledged += 1;
        // Acknowledge later: nothing may be emitted meanwhile.
        setTimeout(() => {
          unacknowledged -= 1;
          port.send({ type: 'checkpoint-saved', id: m.id, location: `mem:${m.id}` });
        }, 30);
      } else if (m.type === 'event') {
        expect(unacknowledged).toBe(0);
      }
    };
    expect(received[0]).toEqual({ type: 'ready' });
    port.send({
      type: 'start',
      spec: { runId: 'u1', backend: 'cpu', workload: { module: toy, options: { epochs: 2 } } },
    });
    await finished;
    expect(received.at(-1)).toEqual({ type: 'done' });
    const checkpoints = received.filter((m) => m.type === 'checkpoint');
    expect(checkpoints.map((m) => (m.type === 'checkpoint' ? m.reason : ''))).toContain('epoch');
    const located = received.find((m) => m.type === 'event' && m.event.type === 'checkpoint');
    expect(
      located?.type === 'event' && located.event.type === 'checkpoint' && located.event.location,
    ).toMatch(/^mem:/);
  });

  it('a chosen backend that cannot start: trains on the next rung and warns why', async () => {
    const { received, events } = await trainToy('u3', 'tensorflow');
    expect(received.at(-1)).toEqual({ type: 'done' });
    expect(events[0]).toMatchObject({ type: 'run-start', backend: 'wasm' });
    expect(events[1]).toMatchObject({
      type: 'warning',
      code: 'backend-fallback',
      message:
        'The tensorflow backend was chosen but could not start: not installed. ' +
        'This run trains on wasm instead.',
    });
    expect(events.filter((e) => e.type === 'warning' && e.code === 'backend-fallback')).toHaveLength(1);
  });

  it('a backend that starts as chosen: no such warning', async () => {
    const { events } = await trainToy('u4', 'cpu');
    expect(events[0]).toMatchObject({ type: 'run-start', backend: 'cpu' });
    expect(events.some((e) => e.type === 'warning' && e.code === 'backend-fallback')).toBe(false);
  });

  it('reports a workload module that exports no createWorkload as fatal, naming it', async () => {
    const { port, received } = fakeParentPort();
    const finished = new Promise<void>((resolve) => serveOverParentPort(port, resolve));
    port.send({
      type: 'start',
      spec: {
        runId: 'u2',
        backend: 'cpu',
        workload: { module: toy.replace('toyWorkload.ts', 'toyData.ts'), options: {} },
      },
    });
    await finished;
    expect(received.at(-1)).toMatchObject({
      type: 'fatal',
      message: expect.stringMatching(/exports no createWorkload/),
    });
  });
});
