// A thread's timeline of a data-parallel step (core/training/dataParallel.ts StepTimeline): each mark ends
// a phase. Wall times are ms since the epoch (performance.timeOrigin + now), so the engine's and the
// workers' spans line up on one axis. On Linux each span also gets the thread's CPU time and the time it
// sat ready waiting for a core (/proc/thread-self/schedstat), which tells computing, waiting on another
// thread and being crowded off the cores apart. The kernel brings those counters up to date at scheduler
// ticks and switches, so a phase of a few ms reads 0 or a tick; long phases and sums are what to read.
import { readFileSync } from 'node:fs';
import type { StepTimeline, TimelineSpan } from '../../../core/training/dataParallel.js';

interface Sample {
  at: number;
  cpu?: number;
  queued?: number;
}

function schedstat(): { cpu: number; queued: number } | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const [cpu, queued] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    // Some kernels keep no scheduler statistics: all zeros.
    return cpu ? { cpu: cpu / 1e6, queued: (queued ?? 0) / 1e6 } : undefined;
  } catch {
    return undefined;
  }
}

function sample(): Sample {
  return { at: performance.timeOrigin + performance.now(), ...schedstat() };
}

export class ThreadTimeline implements StepTimeline {
  readonly spans: TimelineSpan[] = [];
  readonly helpers = new Map<number, TimelineSpan[]>();
  private last: Sample = sample();

  /** Start a new phase here without recording the time since the previous mark. */
  restart(): void {
    this.last = sample();
  }

  mark(phase: string): void {
    const now = sample();
    const span: TimelineSpan = { phase, start: this.last.at, end: now.at };
    if (now.cpu !== undefined && this.last.cpu !== undefined) {
      span.cpu = now.cpu - this.last.cpu;
      span.queued = (now.queued ?? 0) - (this.last.queued ?? 0);
    }
    this.spans.push(span);
    this.last = now;
  }

  helper(index: number, spans: TimelineSpan[]): void {
    this.helpers.set(index, [...(this.helpers.get(index) ?? []), ...spans]);
  }
}
