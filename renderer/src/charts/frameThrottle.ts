// Redraw at a steady rate however fast telemetry arrives: many `request()` calls between two frames
// collapse into one callback, and callbacks are spaced at least 1000/maxHz ms apart. A batch event every
// millisecond therefore costs one chart update per ~150 ms, not a thousand. With a FrameQueue the callback
// runs in the queue's shared, budgeted frame (charts) instead of a frame of its own.
import type { FrameQueue } from './frameQueue.js';

export interface FrameThrottle {
  request(): void;
  cancel(): void;
}

type Clock = {
  now(): number;
  frame(cb: () => void): number;
  cancelFrame(id: number): void;
  timeout(cb: () => void, ms: number): number;
  cancelTimeout(id: number): void;
};

const browserClock: Clock = {
  now: () => performance.now(),
  frame: (cb) =>
    typeof requestAnimationFrame === 'function'
      ? requestAnimationFrame(cb)
      : (setTimeout(cb, 16) as unknown as number),
  cancelFrame: (id) =>
    typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame(id) : clearTimeout(id),
  timeout: (cb, ms) => setTimeout(cb, ms) as unknown as number,
  cancelTimeout: (id) => clearTimeout(id),
};

export function createFrameThrottle(
  callback: () => void,
  maxHz = 8,
  clock: Clock = browserClock,
  queue?: FrameQueue,
): FrameThrottle {
  const interval = 1000 / maxHz;
  let last = -Infinity;
  let frameId: number | null = null;
  let queued = false;
  let timeoutId: number | null = null;

  const run = () => {
    frameId = null;
    queued = false;
    last = clock.now();
    callback();
  };
  const toFrame = () => {
    if (queue) {
      queued = true;
      queue.add(run);
    } else {
      frameId = clock.frame(run);
    }
  };

  return {
    request() {
      if (frameId !== null || queued || timeoutId !== null) return;
      const wait = last + interval - clock.now();
      if (wait <= 0) {
        toFrame();
      } else {
        timeoutId = clock.timeout(() => {
          timeoutId = null;
          toFrame();
        }, wait);
      }
    },
    cancel() {
      if (frameId !== null) clock.cancelFrame(frameId);
      if (timeoutId !== null) clock.cancelTimeout(timeoutId);
      if (queued) queue?.remove(run);
      frameId = null;
      queued = false;
      timeoutId = null;
    },
  };
}
