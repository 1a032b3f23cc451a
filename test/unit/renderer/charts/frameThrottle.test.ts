import { describe, expect, it } from 'vitest';
import { createFrameThrottle } from '../../../../renderer/src/charts/frameThrottle.js';

function fakeClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; cb: () => void }>();
  return {
    now: () => now,
    frame: (cb: () => void) => {
      const id = nextId++;
      timers.set(id, { at: now + 16, cb });
      return id;
    },
    cancelFrame: (id: number) => timers.delete(id),
    timeout: (cb: () => void, ms: number) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, cb });
      return id;
    },
    cancelTimeout: (id: number) => timers.delete(id),
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].cb();
      }
      now = end;
    },
  };
}

describe('frame throttle', () => {
  it('turns 1000 requests a second into at most maxHz redraws', () => {
    const clock = fakeClock();
    let redraws = 0;
    const throttle = createFrameThrottle(() => redraws++, 8, clock);
    for (let ms = 0; ms < 1000; ms++) {
      throttle.request();
      clock.advance(1);
    }
    clock.advance(500);
    expect(redraws).toBeGreaterThanOrEqual(7);
    expect(redraws).toBeLessThanOrEqual(9);
  });

  it('draws the last request (nothing is left stale) and can be cancelled', () => {
    const clock = fakeClock();
    let redraws = 0;
    const throttle = createFrameThrottle(() => redraws++, 8, clock);
    throttle.request();
    clock.advance(20);
    throttle.request();
    clock.advance(200);
    expect(redraws).toBe(2);
    throttle.request();
    throttle.cancel();
    clock.advance(500);
    expect(redraws).toBe(2);
  });
});
