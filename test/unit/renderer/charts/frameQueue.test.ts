import { describe, expect, it } from 'vitest';
import { createFrameQueue, type FrameJob } from '../../../../renderer/src/charts/frameQueue.js';
import { createFrameThrottle } from '../../../../renderer/src/charts/frameThrottle.js';

/** A clock whose frames run when `frame()` is called on the test side; jobs advance time by their cost. */
function manualClock() {
  let now = 0;
  let pending: (() => void)[] = [];
  return {
    now: () => now,
    frame: (cb: () => void) => {
      pending.push(cb);
      return pending.length;
    },
    cancelFrame: () => {},
    timeout: (cb: () => void, ms: number) => {
      void ms;
      pending.push(cb);
      return pending.length;
    },
    cancelTimeout: () => {},
    spend(ms: number) {
      now += ms;
    },
    /** Run the callbacks waiting for the next frame; returns how many ran. */
    nextFrame(): number {
      const due = pending;
      pending = [];
      now += 1;
      due.forEach((cb) => cb());
      return due.length;
    },
    get waiting() {
      return pending.length;
    },
  };
}

describe('frame queue', () => {
  it('runs every job queued before a frame in that one frame and reports the frame once', () => {
    const clock = manualClock();
    const frames: { ms: number; jobs: number }[] = [];
    const queue = createFrameQueue(clock, {
      budgetMs: 10,
      onFrame: (s, e, jobs) => frames.push({ ms: e - s, jobs }),
    });
    const ran: string[] = [];
    for (const name of ['loss', 'metrics', 'lr']) queue.add(() => (ran.push(name), clock.spend(2)));
    expect(clock.waiting).toBe(1); // one animation frame for all of them
    clock.nextFrame();
    expect(ran).toEqual(['loss', 'metrics', 'lr']);
    expect(frames).toEqual([{ ms: 6, jobs: 3 }]);
    expect(queue.size).toBe(0);
  });

  it('a job queued twice before its frame runs once', () => {
    const clock = manualClock();
    const queue = createFrameQueue(clock);
    let runs = 0;
    const job: FrameJob = () => runs++;
    queue.add(job);
    queue.add(job);
    clock.nextFrame();
    expect(runs).toBe(1);
  });

  it('defers jobs that would overrun the budget to the next frame, in order, and always runs one', () => {
    const clock = manualClock();
    const frames: number[] = [];
    const queue = createFrameQueue(clock, { budgetMs: 10, onFrame: (s, e) => frames.push(e - s) });
    const ran: string[] = [];
    const job =
      (name: string, ms: number): FrameJob =>
      () => (ran.push(name), clock.spend(ms));
    const a = job('a', 7);
    const b = job('b', 7);
    const c = job('c', 20);
    // First round: costs are unknown (taken as fitting) until the frame has spent its budget: a and b run
    // (14 ms), c waits for the next frame. Now the queue knows all three costs.
    [a, b, c].forEach((j) => queue.add(j));
    clock.nextFrame();
    expect(ran).toEqual(['a', 'b']);
    clock.nextFrame();
    expect(ran).toEqual(['a', 'b', 'c']);
    ran.length = 0;
    frames.length = 0;
    // Second round: a (7 ms) fits; b would make 14 > 10, so b and c wait; b leads the next frame; c alone
    // is over budget and still runs, alone, in the frame after.
    [a, b, c].forEach((j) => queue.add(j));
    clock.nextFrame();
    expect(ran).toEqual(['a']);
    clock.nextFrame();
    expect(ran).toEqual(['a', 'b']);
    clock.nextFrame();
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(frames).toEqual([7, 7, 20]);
    expect(clock.waiting).toBe(0);
  });

  it('a removed job does not run; a job that throws does not strand the ones behind it', () => {
    const clock = manualClock();
    const queue = createFrameQueue(clock, { budgetMs: 100 });
    const ran: string[] = [];
    const gone: FrameJob = () => ran.push('gone');
    queue.add(() => {
      throw new Error('chart failed');
    });
    queue.add(gone);
    queue.add(() => ran.push('after'));
    queue.remove(gone);
    expect(() => clock.nextFrame()).toThrow('chart failed');
    clock.nextFrame();
    expect(ran).toEqual(['after']);
  });

  it('throttles through the queue: a cancelled request leaves the queue', () => {
    const clock = manualClock();
    const queue = createFrameQueue(clock);
    let redraws = 0;
    const throttle = createFrameThrottle(() => redraws++, 8, clock, queue);
    throttle.request();
    throttle.request();
    expect(queue.size).toBe(1);
    clock.nextFrame();
    expect(redraws).toBe(1);
    throttle.request(); // within 125 ms of the last redraw: waits on a timeout, not in the queue
    expect(queue.size).toBe(0);
    clock.nextFrame(); // the timeout fires and queues the redraw
    expect(queue.size).toBe(1);
    throttle.cancel();
    expect(queue.size).toBe(0);
    clock.nextFrame();
    expect(redraws).toBe(1);
  });
});
